using Pds.Azure.Adapters.Tables;
using Pds.Azure.Storage;
using Pds.Core.Ipld;
using Pds.Core.Storage;
using static Pds.Azure.Adapters.BlobIndex.BlobIndexRows;

namespace Pds.Azure.Adapters.BlobIndex;

/// <summary>
/// Blob metadata and record → blob references in Table Storage (layout: <see cref="BlobIndexRows"/>).
/// Listings by CID are range scans of the account's partition. Temporary uploads are also
/// indexed in the <c>temp</c> partition by creation time; that index is written before the blob
/// row and removed after it, and every entry is checked against the blob row when listed, so an
/// interruption leaves at worst an index row that the next listing deletes, never a temporary
/// blob that is not indexed or a permanent one that is listed as expired.
/// Listing by <c>since</c> must stay cheap on a large account whose recent changes are few, so
/// besides the reference rows (keyed by CID, for the missing-blob listing) each record has a rev
/// row keyed by the rev of the commit that last wrote it, moved in the same transaction as the
/// record row: the listing is one range scan over the records written after <c>since</c>. Records
/// indexed before rev rows existed are given one on the account's first such listing, under a rev
/// that every <c>since</c> lists. (A writer still running the code from before rev rows would
/// leave its records out of that listing until they are next written, so such instances must be
/// stopped before this one serves listBlobs.)
/// The table must exist (<see cref="SimpleStoreTables"/>).
/// </summary>
public sealed class AzureBlobIndex : IBlobIndex
{
    private const int MaxAttempts = 8;
    /// <summary>Expired-index entries checked against their blob rows at once.</summary>
    private const int VerifyParallelism = 16;

    private readonly TableClient _table;
    private readonly RecordBlobRefs _refs;

    public AzureBlobIndex(TableClient table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
        _refs = new RecordBlobRefs(table);
    }

    /// <summary>
    /// Insert, or replace an existing row under its ETag keeping its creation time (as the SQL
    /// upsert keeps created_at). A temporary blob is indexed before its row is written; a blob
    /// made permanent leaves the index after.
    /// </summary>
    public async Task PutAsync(BlobRecord blob, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var key = BlobKey(blob.Cid);
        var partition = Partition(blob.Did);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var existing = await _table.GetEntityAsync(partition, key, ct: ct).ConfigureAwait(false);
            var createdAt = existing?.RequiredTime(CreatedAt) ?? blob.CreatedAt;
            var row = BlobEntity(blob, createdAt);
            if (blob.TempKey is not null)
            {
                await _table.UpsertAsync(TempIndexEntity(blob.Did, blob.Cid, createdAt), ct: ct).ConfigureAwait(false);
            }
            try
            {
                if (existing is null)
                {
                    await _table.InsertAsync(row, ct).ConfigureAwait(false);
                }
                else
                {
                    await _table.UpdateAsync(row, existing.ETag!, ct: ct).ConfigureAwait(false);
                }
            }
            catch (StorageRequestException e) when (e.Status is 404 or 409 or 412)
            {
                continue; // changed since the read: read again
            }
            if (blob.TempKey is null && existing is not null && existing.GetBoolean(Permanent) == false)
            {
                await _table.TryDeleteAsync(TempPartition, TempIndexKey(createdAt, blob.Did, blob.Cid), ct).ConfigureAwait(false);
            }
            return;
        }
        throw new InvalidOperationException($"blob {blob.Cid} kept changing during the write; gave up after {MaxAttempts} attempts");
    }

    public async Task<BlobRecord?> GetAsync(string did, Cid cid, CancellationToken ct = default)
    {
        var row = await _table.GetEntityAsync(Partition(did), BlobKey(cid), ct: ct).ConfigureAwait(false);
        return row is null ? null : ReadBlob(did, row);
    }

    public Task SetRecordBlobsAsync(string did, string recordPath, IReadOnlyList<Cid> blobs, string rev, CancellationToken ct = default) =>
        _refs.SetAsync(did, recordPath, blobs, rev, ct);

    /// <summary>
    /// Without <paramref name="since"/>, permanent blobs only: one filtered range scan in CID order.
    /// With it, a range scan of the rev rows (<see cref="RecordBlobRefs.ListSinceAsync"/>).
    /// </summary>
    public async Task<IReadOnlyList<Cid>> ListAsync(string did, int limit, string? cursor, string? since = null, CancellationToken ct = default)
    {
        if (since is not null)
        {
            return await _refs.ListSinceAsync(did, since, limit, cursor, ct).ConfigureAwait(false);
        }
        var filter = TableRange.From(Partition(did), BlobPrefix, cursor is null ? null : TableKey.Encode(cursor), exclusive: true,
            extraFilter: $"{Permanent} eq true");
        var rows = await _table.TakeAsync(new TableQuery(filter, TableReads.Select(CidName)), limit, ct).ConfigureAwait(false);
        return rows.Select(r => Cid.Parse(r.RequiredString(CidName))).ToList();
    }

    public Task<IReadOnlyList<(Cid Cid, string RecordPath)>> ListMissingAsync(string did, int limit, string? cursor, CancellationToken ct = default) =>
        _refs.ListMissingAsync(did, limit, cursor, ct);

    public Task<bool> IsReferencedAsync(string did, Cid cid, CancellationToken ct = default) => _refs.IsReferencedAsync(did, cid, ct);

    /// <summary>
    /// A range scan of the temp index up to <paramref name="before"/>, oldest first. Each entry
    /// is checked against its blob row; entries whose blob is gone, permanent or re-created are
    /// deleted on the way, so they cannot fill every page of later sweeps.
    /// </summary>
    public async Task<IReadOnlyList<BlobRecord>> ListExpiredTempAsync(DateTimeOffset before, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var expired = new List<BlobRecord>();
        if (limit == 0)
        {
            return expired;
        }
        var filter = $"{TableFilter.PartitionKeyEquals(TempPartition)} and RowKey lt {TableFilter.Quote(StoreKey.Ticks(before))}";
        var query = new TableQuery(filter, Top: TableReads.MaxPage);
        await foreach (var chunk in _table.ChunksAsync(query, VerifyParallelism, ct).ConfigureAwait(false))
        {
            var checks = await Task.WhenAll(chunk.Select(entry => VerifyAsync(entry, ct))).ConfigureAwait(false);
            await _table.DeleteAllAsync(chunk.Where((_, i) => checks[i] is null).Select(e => (e.PartitionKey, e.RowKey)), ct).ConfigureAwait(false);
            expired.AddRange(checks.OfType<BlobRecord>().Take(limit - expired.Count));
            if (expired.Count == limit)
            {
                break;
            }
        }
        return expired;
    }

    /// <summary>Removes the blob row (under its ETag), then its temp index entry. References stay (they belong to records).</summary>
    public async Task DeleteAsync(string did, Cid cid, CancellationToken ct = default)
    {
        var partition = Partition(did);
        var key = BlobKey(cid);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var existing = await _table.GetEntityAsync(partition, key, ct: ct).ConfigureAwait(false);
            if (existing is null)
            {
                return;
            }
            try
            {
                await _table.DeleteAsync(partition, key, existing.ETag!, ct).ConfigureAwait(false);
            }
            catch (StorageConcurrencyException)
            {
                continue; // changed since the read: read again
            }
            catch (StorageNotFoundException)
            {
                return;
            }
            if (existing.GetBoolean(Permanent) == false)
            {
                await _table.TryDeleteAsync(TempPartition, TempIndexKey(existing.RequiredTime(CreatedAt), did, cid), ct).ConfigureAwait(false);
            }
            return;
        }
        throw new InvalidOperationException($"blob {cid} kept changing during the delete; gave up after {MaxAttempts} attempts");
    }

    /// <summary>The account's partition (blobs, records, references) in transactions of 100, then its temp index entries.</summary>
    public async Task DeleteAllAsync(string did, CancellationToken ct = default)
    {
        var partition = Partition(did);
        var rows = new List<TableEntity>();
        var query = new TableQuery(TableFilter.PartitionKeyEquals(partition), TableReads.Select(CidName, Permanent, CreatedAt));
        await foreach (var row in _table.QueryAsync(query, ct).ConfigureAwait(false))
        {
            rows.Add(row);
        }
        await _table.DeleteAllAsync(rows.Select(r => (r.PartitionKey, r.RowKey)), ct).ConfigureAwait(false);
        var temps = rows
            .Where(r => r.RowKey.StartsWith(BlobPrefix, StringComparison.Ordinal) && r.GetBoolean(Permanent) == false)
            .Select(r => (TempPartition, TempIndexKey(r.RequiredTime(CreatedAt), did, Cid.Parse(r.RequiredString(CidName)))));
        await _table.DeleteAllAsync(temps, ct).ConfigureAwait(false);
    }

    /// <summary>The blob a temp index entry stands for, or null when the entry is stale.</summary>
    private async Task<BlobRecord?> VerifyAsync(TableEntity entry, CancellationToken ct)
    {
        var did = entry.RequiredString(DidName);
        var cid = Cid.Parse(entry.RequiredString(CidName));
        var blob = await GetAsync(did, cid, ct).ConfigureAwait(false);
        return blob is { TempKey: not null } && blob.CreatedAt == entry.RequiredTime(CreatedAt) ? blob : null;
    }
}
