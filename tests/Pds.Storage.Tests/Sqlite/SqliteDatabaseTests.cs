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
    public async Task Open_Version1Database_ClustersBlocksKeepingEveryRow()
    {
        var path = _dir.File("pds.sqlite");
        await using (var v1 = await SqliteDatabase.OpenAsync(path, 1, default))
        {
            await v1.WriteAsync(async (c, ct) =>
            {
                for (var i = 0; i < 50; i++)
                {
                    await c.ExecuteAsync(
                        "INSERT INTO repo_block (did, cid, data, rev) VALUES ($did, $cid, $data, $rev);", ct,
                        ("$did", $"did:plc:{i % 3}"), ("$cid", new byte[] { (byte)i, 1 }), ("$data", new byte[i * 100]), ("$rev", $"rev{i:D3}"));
                }
            }, default);
        }

        await using var db = await SqliteDatabase.OpenAsync(path);

        Assert.Equal(2, await SqliteMigrations.GetVersionAsync(db, default));
        var rows = await db.ReadAsync((c, ct) => c.QueryAsync(
            "SELECT did, cid, length(data), rev FROM repo_block ORDER BY rev;", r => (r.GetString(0), r.GetFieldValue<byte[]>(1)[0], r.GetInt64(2), r.GetString(3)), ct), default);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => ($"did:plc:{i % 3}", (byte)i, i * 100L, $"rev{i:D3}")), rows);
        var ddl = await db.ReadAsync((c, ct) => c.QuerySingleAsync(
            "SELECT sql FROM sqlite_schema WHERE name = 'repo_block';", r => r.GetString(0), ct), default);
        Assert.Contains("WITHOUT ROWID", ddl, StringComparison.Ordinal);
        var index = await db.ReadAsync((c, ct) => c.QuerySingleAsync(
            "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'repo_block_by_rev';", r => r.GetInt64(0), ct), default);
        Assert.Equal(1, index);
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
