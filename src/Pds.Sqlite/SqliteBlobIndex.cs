using Pds.Core.Ipld;
using Pds.Core.Storage;

namespace Pds.Sqlite;

/// <summary>
/// Blob metadata and record-to-blob references in SQLite. CIDs are kept as strings so the
/// listings page by CID string, as the sync API expects.
/// </summary>
public sealed class SqliteBlobIndex(SqliteDatabase db) : IBlobIndex
{
    public Task PutAsync(BlobRecord blob, CancellationToken ct = default) =>
        db.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO blob (did, cid, mime_type, size, temp_key, created_at) VALUES ($did, $cid, $mime, $size, $temp, $created) " +
            "ON CONFLICT (did, cid) DO UPDATE SET mime_type = excluded.mime_type, size = excluded.size, temp_key = excluded.temp_key;",
            t, ("$did", blob.Did), ("$cid", blob.Cid.ToString()), ("$mime", blob.MimeType), ("$size", blob.Size),
            ("$temp", blob.TempKey), ("$created", blob.CreatedAt.ToDb())), ct);

    public Task<BlobRecord?> GetAsync(string did, Cid cid, CancellationToken ct = default) =>
        db.ReadAsync((c, t) => c.QuerySingleAsync(
            "SELECT did, cid, mime_type, size, temp_key, created_at FROM blob WHERE did = $did AND cid = $cid;",
            r => new BlobRecord(r.GetString(0), Cid.Parse(r.GetString(1)), r.GetString(2), r.GetInt64(3), r.GetNullableString(4), r.GetTime(5)),
            t, ("$did", did), ("$cid", cid.ToString())), ct);

    /// <summary>Rewrites every row of the record, so an unchanged set of blobs still moves to the new rev.</summary>
    public Task SetRecordBlobsAsync(string did, string recordPath, IReadOnlyList<Cid> blobs, string rev, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(rev);
        return db.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync(
                "DELETE FROM record_blob WHERE did = $did AND record_path = $path;", t, ("$did", did), ("$path", recordPath))
                .ConfigureAwait(false);
            foreach (var cid in blobs)
            {
                await c.ExecuteAsync(
                    "INSERT OR IGNORE INTO record_blob (did, record_path, cid, rev) VALUES ($did, $path, $cid, $rev);", t,
                    ("$did", did), ("$path", recordPath), ("$cid", cid.ToString()), ("$rev", rev)).ConfigureAwait(false);
            }
        }, ct);
    }

    public async Task<IReadOnlyList<BlobRecord>> ListExpiredTempAsync(DateTimeOffset before, int limit, CancellationToken ct = default) =>
        await db.ReadAsync((c, t) => c.QueryAsync(
            "SELECT did, cid, mime_type, size, temp_key, created_at FROM blob WHERE temp_key IS NOT NULL AND created_at < $before " +
            "ORDER BY created_at LIMIT $limit;",
            r => new BlobRecord(r.GetString(0), Cid.Parse(r.GetString(1)), r.GetString(2), r.GetInt64(3), r.GetNullableString(4), r.GetTime(5)),
            t, ("$before", before.ToDb()), ("$limit", limit)), ct).ConfigureAwait(false);

    /// <summary>
    /// Without <paramref name="since"/>, only permanent blobs (no temp key). With it, the references
    /// newer than it, where a NULL rev (written before revs were kept) counts as newer than any.
    /// The rev index is forced and the two rev ranges are separate arms of the UNION: left to
    /// itself the planner walks the CID index to skip the sort, which reads every reference of the
    /// account even when only a few records changed after <paramref name="since"/>.
    /// </summary>
    public async Task<IReadOnlyList<Cid>> ListAsync(string did, int limit, string? cursor, string? since = null, CancellationToken ct = default) =>
        await db.ReadAsync((c, t) => c.QueryAsync(
            since is null
                ? "SELECT cid FROM blob WHERE did = $did AND temp_key IS NULL AND ($cursor IS NULL OR cid > $cursor) ORDER BY cid LIMIT $limit;"
                : "SELECT cid FROM record_blob INDEXED BY record_blob_by_rev WHERE did = $did AND rev > $since AND ($cursor IS NULL OR cid > $cursor) " +
                  "UNION SELECT cid FROM record_blob INDEXED BY record_blob_by_rev WHERE did = $did AND rev IS NULL AND ($cursor IS NULL OR cid > $cursor) " +
                  "ORDER BY cid LIMIT $limit;",
            r => Cid.Parse(r.GetString(0)), t, ("$did", did), ("$cursor", cursor), ("$since", since), ("$limit", limit)), ct)
            .ConfigureAwait(false);

    /// <summary>
    /// Referenced CIDs with no permanent blob (a temp upload does not count: it may still be swept),
    /// one row per CID with the first referencing record, ordered by CID string.
    /// </summary>
    public async Task<IReadOnlyList<(Cid Cid, string RecordPath)>> ListMissingAsync(
        string did, int limit, string? cursor, CancellationToken ct = default) =>
        await db.ReadAsync((c, t) => c.QueryAsync(
            "SELECT rb.cid, MIN(rb.record_path) FROM record_blob rb " +
            "WHERE rb.did = $did AND ($cursor IS NULL OR rb.cid > $cursor) " +
            "AND NOT EXISTS (SELECT 1 FROM blob b WHERE b.did = rb.did AND b.cid = rb.cid AND b.temp_key IS NULL) " +
            "GROUP BY rb.cid ORDER BY rb.cid LIMIT $limit;",
            r => (Cid.Parse(r.GetString(0)), r.GetString(1)), t, ("$did", did), ("$cursor", cursor), ("$limit", limit)), ct)
            .ConfigureAwait(false);

    public async Task<bool> IsReferencedAsync(string did, Cid cid, CancellationToken ct = default) =>
        await db.ReadAsync((c, t) => c.QuerySingleAsync<long?>(
            "SELECT 1 FROM record_blob WHERE did = $did AND cid = $cid LIMIT 1;", r => r.GetInt64(0), t,
            ("$did", did), ("$cid", cid.ToString())), ct).ConfigureAwait(false) is not null;

    public Task DeleteAsync(string did, Cid cid, CancellationToken ct = default) =>
        db.WriteAsync((c, t) => c.ExecuteAsync(
            "DELETE FROM blob WHERE did = $did AND cid = $cid;", t, ("$did", did), ("$cid", cid.ToString())), ct);

    public Task DeleteAllAsync(string did, CancellationToken ct = default) =>
        db.WriteAsync((c, t) => c.DeleteForDidAsync(did, t, "blob", "record_blob"), ct);
}
