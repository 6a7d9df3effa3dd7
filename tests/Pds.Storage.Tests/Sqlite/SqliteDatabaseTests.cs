using Pds.Sqlite;

namespace Pds.Storage.Tests.Sqlite;

public class SqliteDatabaseTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Open_NewFile_CreatesSchemaInWalMode()
    {
        await using var db = await SqliteDatabase.OpenAsync(_dir.File("pds.sqlite"));
        Assert.Equal(SqliteMigrations.Latest, await SqliteMigrations.GetVersionAsync(db, default));
        var mode = await db.ReadAsync(
            (c, ct) => c.QuerySingleAsync("PRAGMA journal_mode;", r => r.GetString(0), ct), default);
        Assert.Equal("wal", mode);
        var foreignKeys = await db.ReadAsync(
            (c, ct) => c.QuerySingleAsync<long?>("PRAGMA foreign_keys;", r => r.GetInt64(0), ct), default);
        Assert.Equal(1, foreignKeys);
    }

    [Fact]
    public async Task Open_Twice_MigrationsRunOnce()
    {
        var path = _dir.File("pds.sqlite");
        await (await SqliteDatabase.OpenAsync(path)).DisposeAsync();
        await using var db = await SqliteDatabase.OpenAsync(path);
        var rows = await db.ReadAsync(
            (c, ct) => c.QuerySingleAsync<long?>("SELECT COUNT(*) FROM schema_version;", r => r.GetInt64(0), ct), default);
        Assert.Equal(SqliteMigrations.Latest, rows);
    }

    [Fact]
    public async Task Open_NewerSchemaThanBuild_Refuses()
    {
        var path = _dir.File("pds.sqlite");
        await using (var db = await SqliteDatabase.OpenAsync(path))
        {
            await db.WriteAsync((c, ct) => c.ExecuteAsync(
                "INSERT INTO schema_version (version, applied_at) VALUES ($v, 0);", ct, ("$v", SqliteMigrations.Latest + 1)), default);
        }
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SqliteDatabase.OpenAsync(path));
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_Throws_RollsBack()
    {
        await using var db = await SqliteDatabase.OpenAsync(_dir.File("pds.sqlite"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.WriteAsync(async (c, ct) =>
        {
            await c.ExecuteAsync("INSERT INTO preference (did, scope, json) VALUES ('did:x', 's', x'00');", ct);
            throw new InvalidOperationException("boom");
        }, default));
        var count = await db.ReadAsync(
            (c, ct) => c.QuerySingleAsync<long?>("SELECT COUNT(*) FROM preference;", r => r.GetInt64(0), ct), default);
        Assert.Equal(0, count);
    }

    [Fact]
    public async Task Write_ManyConcurrent_AllCommitWithoutBusyErrors()
    {
        await using var db = await SqliteDatabase.OpenAsync(_dir.File("pds.sqlite"));
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => db.WriteAsync((c, ct) => c.ExecuteAsync(
            "INSERT INTO preference (did, scope, json) VALUES ($d, 's', x'00');", ct, ("$d", $"did:x:{i}")), default))));
        var count = await db.ReadAsync(
            (c, ct) => c.QuerySingleAsync<long?>("SELECT COUNT(*) FROM preference;", r => r.GetInt64(0), ct), default);
        Assert.Equal(50, count);
    }
}
