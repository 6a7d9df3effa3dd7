using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Pds.Core.Ipld;
using Pds.Core.Repo;
using Pds.Core.Storage;

namespace Pds.Sqlite;

/// <summary>
/// Repositories in SQLite. A commit is one transaction: the guarded head swap, its blocks, its
/// record index changes and its outbox event land together or not at all.
/// </summary>
public sealed class SqliteRepoStore(SqliteDatabase db) : IRepoStore
{
    private const string RecordColumns =
        "SELECT r.collection, r.rkey, r.cid, b.data FROM repo_record r " +
        "LEFT JOIN repo_block b ON b.did = r.did AND b.cid = r.cid ";

    public Task<StoredHead?> GetHeadAsync(string did, CancellationToken ct = default) =>
        db.ReadAsync((c, token) => c.QuerySingleAsync(
            "SELECT did, commit_cid, rev, commit_bytes FROM repo_head WHERE did = $did;", ReadHead, token, ("$did", did)), ct);

    public IBlockReader Blocks(string did) => new SqliteBlockReader(db, did);

    public Task ApplyCommitAsync(string did, CommitWrite commit, CancellationToken ct = default)
    {
        if (commit.Head.Did != did)
        {
            throw new ArgumentException($"head is for {commit.Head.Did}, not {did}", nameof(commit));
        }
        return db.WriteAsync(async (c, token) =>
        {
            // Guard first: on a conflict the transaction rolls back having written nothing.
            if (!await SwapHeadAsync(c, did, commit, token).ConfigureAwait(false))
            {
                throw new HeadConflictException(did);
            }
            foreach (var (cid, data) in commit.Blocks)
            {
                await c.ExecuteAsync(
                    "INSERT OR IGNORE INTO repo_block (did, cid, data, rev) VALUES ($did, $cid, $data, $rev);", token,
                    ("$did", did), ("$cid", cid.Bytes.ToArray()), ("$data", data), ("$rev", commit.Head.Rev)).ConfigureAwait(false);
            }
            foreach (var change in commit.Records)
            {
                await ApplyRecordChangeAsync(c, did, change, token).ConfigureAwait(false);
            }
            await DeleteRemovedAsync(c, did, commit.Removed, token).ConfigureAwait(false);
            if (commit.Event is not null)
            {
                await SqliteOutbox.InsertAsync(c, commit.Event, token).ConfigureAwait(false);
            }
        }, ct);
    }

    public Task<StoredRecord?> GetRecordAsync(string did, string collection, string rkey, CancellationToken ct = default) =>
        db.ReadAsync((c, token) => c.QuerySingleAsync(
            RecordColumns + "WHERE r.did = $did AND r.collection = $collection AND r.rkey = $rkey;", r => ReadRecord(did, r), token,
            ("$did", did), ("$collection", collection), ("$rkey", rkey)), ct);

    public async Task<IReadOnlyList<StoredRecord>> ListRecordsAsync(
        string did, string collection, int limit, string? cursor, bool reverse, CancellationToken ct = default)
    {
        var page = reverse
            ? "AND ($cursor IS NULL OR r.rkey < $cursor) ORDER BY r.rkey DESC"
            : "AND ($cursor IS NULL OR r.rkey > $cursor) ORDER BY r.rkey ASC";
        return await db.ReadAsync((c, token) => c.QueryAsync(
            RecordColumns + "WHERE r.did = $did AND r.collection = $collection " + page + " LIMIT $limit;",
            r => ReadRecord(did, r), token,
            ("$did", did), ("$collection", collection), ("$cursor", cursor), ("$limit", limit)), ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> ListCollectionsAsync(string did, CancellationToken ct = default) =>
        await db.ReadAsync((c, token) => c.QueryAsync(
            "SELECT DISTINCT collection FROM repo_record WHERE did = $did ORDER BY collection;", r => r.GetString(0), token,
            ("$did", did)), ct).ConfigureAwait(false);

    public async Task<RepoSnapshot?> OpenSnapshotAsync(string did, string? sinceRev, CancellationToken ct = default)
    {
        var c = await db.RentAsync(ct).ConfigureAwait(false);
        try
        {
            // A deferred transaction takes its WAL snapshot at the first read and keeps it until it
            // ends: the head and every block after it are read as of one moment, beside the writer.
            var transaction = c.BeginTransaction(deferred: true);
            var head = await c.QuerySingleAsync(
                "SELECT did, commit_cid, rev, commit_bytes FROM repo_head WHERE did = $did;", ReadHead, ct, ("$did", did)).ConfigureAwait(false);
            if (head is null)
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
                db.Return(c);
                return null;
            }
            return new RepoSnapshot(head, ListBlocksAsync(c, did, sinceRev, ct), new Owned(db, transaction, c));
        }
        catch
        {
            // Return closes it instead of keeping it when the transaction is still open.
            db.Return(c);
            throw;
        }
    }

    /// <summary>Commits delete what their head stops reaching, so the stored blocks are exactly the repo.</summary>
    private static async IAsyncEnumerable<KeyValuePair<Cid, ReadOnlyMemory<byte>>> ListBlocksAsync(
        SqliteConnection c, string did, string? sinceRev, [EnumeratorCancellation] CancellationToken ct)
    {
        // The whole repo comes in primary-key order (no sort step); a diff in the order it was written.
        await using var command = sinceRev is null
            ? c.Sql("SELECT cid, data FROM repo_block WHERE did = $did ORDER BY cid;", ("$did", did))
            : c.Sql("SELECT cid, data FROM repo_block WHERE did = $did AND rev > $since ORDER BY rev, cid;", ("$did", did), ("$since", sinceRev));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            yield return new(Cid.FromBytes(reader.GetBytes(0)), reader.GetBytes(1));
        }
    }

    public async Task<IReadOnlyList<StoredHead>> ListHeadsAsync(int limit, string? cursorDid, CancellationToken ct = default) =>
        await db.ReadAsync((c, token) => c.QueryAsync(
            "SELECT did, commit_cid, rev, commit_bytes FROM repo_head WHERE $cursor IS NULL OR did > $cursor ORDER BY did LIMIT $limit;",
            ReadHead, token, ("$cursor", cursorDid), ("$limit", limit)), ct).ConfigureAwait(false);

    public Task DeleteRepoAsync(string did, CancellationToken ct = default) =>
        db.WriteAsync((c, token) => c.DeleteForDidAsync(did, token, "repo_block", "repo_record", "repo_head"), ct);

    /// <summary>Moves the head only if it is still the one the commit was built on; false otherwise.</summary>
    private static async Task<bool> SwapHeadAsync(SqliteConnection c, string did, CommitWrite commit, CancellationToken ct)
    {
        (string, object?)[] args =
        [
            ("$did", did), ("$cid", commit.Head.CommitCid.Bytes.ToArray()), ("$rev", commit.Head.Rev),
            ("$bytes", commit.Head.CommitBytes), ("$expected", commit.ExpectedHead?.Bytes.ToArray()),
        ];
        var changed = commit.ExpectedHead is null
            ? await c.ExecuteAsync(
                "INSERT INTO repo_head (did, commit_cid, rev, commit_bytes) VALUES ($did, $cid, $rev, $bytes) ON CONFLICT (did) DO NOTHING;",
                ct, args).ConfigureAwait(false)
            : await c.ExecuteAsync(
                "UPDATE repo_head SET commit_cid = $cid, rev = $rev, commit_bytes = $bytes WHERE did = $did AND commit_cid = $expected;",
                ct, args).ConfigureAwait(false);
        return changed == 1;
    }

    private static Task<int> ApplyRecordChangeAsync(SqliteConnection c, string did, RecordIndexChange change, CancellationToken ct) =>
        change.Cid is null
            ? c.ExecuteAsync(
                "DELETE FROM repo_record WHERE did = $did AND collection = $collection AND rkey = $rkey;", ct,
                ("$did", did), ("$collection", change.Collection), ("$rkey", change.Rkey))
            : c.ExecuteAsync(
                "INSERT OR REPLACE INTO repo_record (did, collection, rkey, cid) VALUES ($did, $collection, $rkey, $cid);", ct,
                ("$did", did), ("$collection", change.Collection), ("$rkey", change.Rkey), ("$cid", change.Cid.Bytes.ToArray()));

    /// <summary>
    /// Nodes go unconditionally, in one statement (a commit replaces a root-to-leaf path); a record
    /// block only when no index row (updated above) still points at it.
    /// </summary>
    private static async Task DeleteRemovedAsync(SqliteConnection c, string did, RemovedBlocks? removed, CancellationToken ct)
    {
        if (removed is null || removed.IsEmpty)
        {
            return;
        }
        if (removed.Nodes.Count > 0)
        {
            var names = removed.Nodes.Select((_, i) => "$n" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            var args = removed.Nodes.Select((cid, i) => (names[i], (object?)cid.Bytes.ToArray())).Prepend(("$did", did)).ToArray();
            await c.ExecuteAsync($"DELETE FROM repo_block WHERE did = $did AND cid IN ({string.Join(", ", names)});", ct, args).ConfigureAwait(false);
        }
        foreach (var cid in removed.Records)
        {
            await c.ExecuteAsync(
                "DELETE FROM repo_block WHERE did = $did AND cid = $cid " +
                "AND NOT EXISTS (SELECT 1 FROM repo_record WHERE did = $did AND cid = $cid);", ct,
                ("$did", did), ("$cid", cid.Bytes.ToArray())).ConfigureAwait(false);
        }
    }

    private static StoredHead ReadHead(SqliteDataReader r) =>
        new(r.GetString(0), Cid.FromBytes(r.GetBytes(1)), r.GetString(2), r.GetBytes(3));

    private static StoredRecord ReadRecord(string did, SqliteDataReader r)
    {
        var cid = Cid.FromBytes(r.GetBytes(2));
        if (r.IsDBNull(3))
        {
            // The index points at a block the repo does not hold: corruption, not "not found".
            throw new MissingBlockException(cid, $"record {r.GetString(0)}/{r.GetString(1)} of {did}");
        }
        return new StoredRecord(r.GetString(0), r.GetString(1), cid, r.GetBytes(3));
    }

    /// <summary>Ends a snapshot: its read transaction, then its connection.</summary>
    private sealed class Owned(SqliteDatabase db, SqliteTransaction transaction, SqliteSession connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            db.Return(connection);
        }
    }
}
