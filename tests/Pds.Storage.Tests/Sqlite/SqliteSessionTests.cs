using Microsoft.Data.Sqlite;
using Pds.Sqlite;

namespace Pds.Storage.Tests.Sqlite;

/// <summary>The kept connections, their prepared statements, and the background checkpoint.</summary>
public class SqliteSessionTests : IDisposable
{
    private const string Insert = "INSERT INTO t (k, v) VALUES ($k, $v);";
    private const string Select = "SELECT v FROM t WHERE k = $k;";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Read_Sequential_ReusesOneConnectionAndItsStatement()
    {
        await using var db = await OpenWithTableAsync();
        var first = await db.ReadAsync((c, ct) => Task.FromResult(c), default);
        var second = await db.ReadAsync((c, ct) => Task.FromResult(c), default);
        Assert.Same(first, second);

        await db.WriteAsync((c, ct) => c.ExecuteAsync(Insert, ct, ("$k", "a"), ("$v", "1")), default);
        await db.WriteAsync((c, ct) => c.ExecuteAsync(Insert, ct, ("$k", "b"), ("$v", "2")), default);
        var before = ((SqliteSession)first).CachedStatements;
        // Same text, new values each time: the kept command must bind the new ones.
        Assert.Equal("1", await ReadAsync(db, "a"));
        Assert.Equal("2", await ReadAsync(db, "b"));
        Assert.Null(await ReadAsync(db, "c"));
        Assert.Equal(before + 1, ((SqliteSession)first).CachedStatements);
    }

    [Fact]
    public async Task Write_KeptStatementThenThrow_RollsBackWithTheTransaction()
    {
        await using var db = await OpenWithTableAsync();
        await db.WriteAsync((c, ct) => c.ExecuteAsync(Insert, ct, ("$k", "kept"), ("$v", "1")), default);

        // The same kept INSERT, now in a transaction that fails: it must have joined that transaction.
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.WriteAsync(async (c, ct) =>
        {
            await c.ExecuteAsync(Insert, ct, ("$k", "lost"), ("$v", "2"));
            throw new InvalidOperationException("fail after the insert");
        }, default));

        Assert.Equal("1", await ReadAsync(db, "kept"));
        Assert.Null(await ReadAsync(db, "lost"));
        // And outside any transaction afterwards it still runs (it let go of the finished one).
        Assert.Equal("1", await db.ReadAsync((c, ct) => c.QuerySingleAsync(Select, r => r.GetString(0), ct, ("$k", "kept")), default));
    }

    [Fact]
    public async Task Statements_MoreDistinctThanTheCache_AllStillRun()
    {
        await using var db = await OpenWithTableAsync();
        var texts = Enumerable.Range(0, SqliteSession.MaxStatements + 20)
            .Select(i => $"INSERT INTO t (k, v) VALUES ($k, 'v{i}');").ToList();
        await db.WriteAsync(async (c, ct) =>
        {
            for (var i = 0; i < texts.Count; i++)
            {
                await c.ExecuteAsync(texts[i], ct, ("$k", $"k{i}"));
            }
            Assert.Equal(SqliteSession.MaxStatements, ((SqliteSession)c).CachedStatements);
        }, default);
        Assert.Equal($"v{texts.Count - 1}", await ReadAsync(db, $"k{texts.Count - 1}"));
    }

    [Fact]
    public async Task Return_MidTransaction_ClosesTheConnectionInsteadOfKeepingIt()
    {
        await using var db = await OpenWithTableAsync();
        var session = await db.RentAsync(default);
        var transaction = session.BeginTransaction(deferred: false);
        await session.ExecuteAsync(Insert, default, ("$k", "open"), ("$v", "1"));
        Assert.False(session.IsIdle);

        db.Return(session);

        Assert.Equal(System.Data.ConnectionState.Closed, session.State);
        var next = await db.RentAsync(default);
        Assert.NotSame(session, next);
        db.Return(next);
        // Closing rolled the open transaction back and released the write lock.
        Assert.Null(await ReadAsync(db, "open"));
        await db.WriteAsync((c, ct) => c.ExecuteAsync(Insert, ct, ("$k", "after"), ("$v", "2")), default);
        Assert.Equal("2", await ReadAsync(db, "after"));
        GC.KeepAlive(transaction);
    }

    [Fact]
    public async Task Commits_AreCheckpointedIntoTheFileInTheBackground()
    {
        var path = _dir.File("pds.sqlite");
        await using var db = await OpenWithTableAsync(path);
        var start = db.CheckpointsCompleted;
        var fileBefore = new FileInfo(path).Length;

        // 2 MB in 500 pages: well under the automatic checkpoint's backstop, so only the
        // background checkpoint can move these pages from the WAL into the file.
        var value = new string('x', 4000);
        for (var i = 0; i < 50; i++)
        {
            await db.WriteAsync(async (c, ct) =>
            {
                for (var j = 0; j < 10; j++)
                {
                    await c.ExecuteAsync(Insert, ct, ("$k", $"{i}/{j}"), ("$v", value));
                }
            }, default);
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (new FileInfo(path).Length < fileBefore + 2_000_000 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.True(new FileInfo(path).Length >= fileBefore + 2_000_000,
            $"database file {new FileInfo(path).Length} bytes: the WAL was not checkpointed in the background");
        Assert.True(db.CheckpointsCompleted > start);
    }

    private async Task<SqliteDatabase> OpenWithTableAsync(string? path = null)
    {
        var db = await SqliteDatabase.OpenAsync(path ?? _dir.File("pds.sqlite"));
        await db.WriteAsync((c, ct) => c.ExecuteAsync("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT NOT NULL);", ct), default);
        return db;
    }

    private static Task<string?> ReadAsync(SqliteDatabase db, string key) =>
        db.ReadAsync((c, ct) => c.QuerySingleAsync(Select, r => r.GetString(0), ct, ("$k", key)), default);
}
