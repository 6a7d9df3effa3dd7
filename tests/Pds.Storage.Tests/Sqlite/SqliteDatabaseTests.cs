using Pds.Core.Crypto;
using Pds.Core.DataModel;
using Pds.Core.Ipld;
using Pds.Core.Repo;
using Pds.Core.Storage;
using Pds.Core.Syntax;
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

        await using var db = await SqliteDatabase.OpenAsync(path, 2, default);

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

    /// <summary>
    /// Schema v3: repositories written before commits deleted what they replaced lose exactly the
    /// blocks their heads no longer reach; a repository whose tree cannot be walked keeps all.
    /// </summary>
    [Fact]
    public async Task Open_Version2Database_DropsBlocksTheHeadsNoLongerReach()
    {
        var path = _dir.File("pds.sqlite");
        var did = "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa";
        var broken = "did:plc:bbbbbbbbbbbbbbbbbbbbbbbb";
        var written = new HashSet<Cid>();
        RepoHead? head = null;
        using var key = Keypair.Generate(KeyType.Secp256k1);
        var tids = TidGenerator.WithRandomClockId();
        var post = Nsid.Parse("app.bsky.feed.post");
        await using (var v2 = await SqliteDatabase.OpenAsync(path, 2, default))
        {
            var repos = new SqliteRepoStore(v2);
            for (var round = 0; round < 5; round++)
            {
                List<RepoWrite> writes = [.. Enumerable.Range(0, 20).Select(i => RepoWrite.Create(post, RecordKey.Parse($"r{round}x{i}"), Post($"{round} {i}")))];
                if (round > 0)
                {
                    writes.Add(RepoWrite.Delete(post, RecordKey.Parse($"r{round - 1}x3")));
                    writes.Add(RepoWrite.Update(post, RecordKey.Parse($"r{round - 1}x4"), Post($"edited {round}")));
                }
                var result = await RepoWriter.ApplyAsync(repos.Blocks(did), did, head, writes, key, tids);
                // As the old code did: no removals.
                await repos.ApplyCommitAsync(did, Write(did, head, result));
                written.UnionWith(result.NewBlocks.Keys);
                head = result.Head;
            }
            var lonely = await RepoWriter.ApplyAsync(repos.Blocks(broken), broken, null, [RepoWrite.Create(post, RecordKey.Parse("a"), Post("a"))], key, tids);
            await repos.ApplyCommitAsync(broken, Write(broken, null, lonely));
            var extra = Cid.ForDagCbor([0xa0]);
            await v2.WriteAsync((c, ct) => c.ExecuteAsync("INSERT INTO repo_block (did, cid, data, rev) VALUES ($did, $cid, $data, 'x');", ct,
                ("$did", broken), ("$cid", extra.Bytes.ToArray()), ("$data", new byte[] { 0xa0 })), default);
            await v2.WriteAsync((c, ct) => c.ExecuteAsync("DELETE FROM repo_block WHERE did = $did AND cid = $cid;", ct,
                ("$did", broken), ("$cid", lonely.Commit.Data.Bytes.ToArray())), default);
        }

        await using var db = await SqliteDatabase.OpenAsync(path);

        var store = new SqliteRepoStore(db);
        var reachable = new HashSet<Cid>();
        await foreach (var (cid, _) in RepoExport.ReachableAsync(c => store.Blocks(did).GetBlockAsync(c), head!))
        {
            reachable.Add(cid);
        }
        Assert.True(written.Count > reachable.Count, "the old commits left garbage to drop");
        Assert.Equal(reachable.Order(), (await Contracts.Snapshots.ReadAsync(store, did, null))!.Value.Blocks.Keys.Order());
        // Commit, record and the stray block: nothing was dropped from the repo whose root is missing.
        Assert.Equal(3, (await Contracts.Snapshots.ReadAsync(store, broken, null))!.Value.Blocks.Count);
    }

    /// <summary>
    /// Schema v4: references keep the rev of the commit that wrote their record. Those stored
    /// before have none, so every since lists them; rewritten, they list under their new rev.
    /// The migrated schema is the one a new database gets.
    /// </summary>
    [Fact]
    public async Task Open_Version3Database_OldBlobReferencesListedForAnySince()
    {
        var path = _dir.File("pds.sqlite");
        var did = "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa";
        var (kept, rewritten) = (Cid.ForRaw([1]), Cid.ForRaw([2]));
        await using (var v3 = await SqliteDatabase.OpenAsync(path, 3, default))
        {
            await v3.WriteAsync(async (c, ct) =>
            {
                foreach (var (record, cid) in new[] { ("app.bsky.feed.post/a", kept), ("app.bsky.feed.post/b", rewritten) })
                {
                    await c.ExecuteAsync("INSERT INTO record_blob (did, record_path, cid) VALUES ($did, $path, $cid);", ct,
                        ("$did", did), ("$path", record), ("$cid", cid.ToString()));
                }
            }, default);
        }

        await using var db = await SqliteDatabase.OpenAsync(path, 4, default);

        Assert.Equal(4, await SqliteMigrations.GetVersionAsync(db, default));
        var index = new SqliteBlobIndex(db);
        var both = new[] { kept, rewritten }.OrderBy(c => c.ToString(), StringComparer.Ordinal);
        Assert.Equal(both, await index.ListAsync(did, 10, null, "7zzzzzzzzzzzz"));
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/b", [rewritten], "3aaaaaaaaaab2");
        Assert.Equal([kept], await index.ListAsync(did, 10, null, "3aaaaaaaaaab2"));
        Assert.Equal(both, await index.ListAsync(did, 10, null, "3aaaaaaaaaaa2"));
        await using var fresh = await SqliteDatabase.OpenAsync(_dir.File("fresh.sqlite"), 4, default);
        Assert.Equal(await SchemaAsync(fresh), await SchemaAsync(db));
    }

    /// <summary>
    /// Schema v5: the holder's deactivation is stored apart from the status. A deactivated account
    /// keeps it; others (a taken-down one included: what came before is not known) have none.
    /// </summary>
    [Fact]
    public async Task Open_Version4Database_DeactivatedAccountsKeepTheirDeactivation()
    {
        var path = _dir.File("pds.sqlite");
        await using (var v4 = await SqliteDatabase.OpenAsync(path, 4, default))
        {
            await v4.WriteAsync(async (c, ct) =>
            {
                foreach (var status in new[] { "active", "deactivated", "takendown" })
                {
                    await c.ExecuteAsync(
                        "INSERT INTO account (did, handle, email, password_hash, status, created_at) VALUES ($did, $handle, NULL, 'x', $status, 0);", ct,
                        ("$did", "did:plc:" + status), ("$handle", status + ".test"), ("$status", status));
                }
            }, default);
        }

        await using var db = await SqliteDatabase.OpenAsync(path);

        var accounts = new SqliteAccountStore(db);
        Assert.Equal((AccountStatus.Active, false), Shown(await accounts.GetByDidAsync("did:plc:active")));
        Assert.Equal((AccountStatus.Deactivated, true), Shown(await accounts.GetByDidAsync("did:plc:deactivated")));
        Assert.Equal((AccountStatus.Takendown, false), Shown(await accounts.GetByDidAsync("did:plc:takendown")));
        await using var fresh = await SqliteDatabase.OpenAsync(_dir.File("fresh.sqlite"));
        Assert.Equal(await SchemaAsync(fresh), await SchemaAsync(db));

        static (AccountStatus, bool) Shown(AccountRecord? a) => (a!.Status, a.Deactivated);
    }

    private static Task<List<string>> SchemaAsync(SqliteDatabase db) => db.ReadAsync((c, ct) => c.QueryAsync(
        "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_schema ORDER BY name;", r => r.GetString(0), ct), default);

    private static DataMap Post(string text) => DataMap.Create(
        ("$type", DataValue.Of("app.bsky.feed.post")), ("text", DataValue.Of(text)), ("createdAt", DataValue.Of("2026-11-22T00:00:00.000Z")));

    private static CommitWrite Write(string did, RepoHead? previous, CommitResult result) => new(
        previous?.CommitCid, new StoredHead(did, result.CommitCid, result.Rev, result.Commit.Encode()), result.NewBlocks,
        [.. result.Ops.Select(op => new RecordIndexChange(op.Path[..op.Path.IndexOf('/', StringComparison.Ordinal)], op.Path[(op.Path.IndexOf('/', StringComparison.Ordinal) + 1)..], op.Cid))],
        Event: null);

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
