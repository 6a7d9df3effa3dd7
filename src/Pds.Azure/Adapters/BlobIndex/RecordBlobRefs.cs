using Pds.Azure.Adapters.Tables;
using Pds.Azure.Storage;
using Pds.Core.Ipld;
using static Pds.Azure.Adapters.BlobIndex.BlobIndexRows;

namespace Pds.Azure.Adapters.BlobIndex;

/// <summary>
/// The record → blob references of <see cref="AzureBlobIndex"/>: record rows and reference rows
/// in the account's partition (<see cref="BlobIndexRows"/>).
/// </summary>
internal sealed class RecordBlobRefs(TableClient table)
{
    private const int MaxAttempts = 8;

    /// <summary>
    /// Reads the record row, then writes the reference changes and the new record row in one
    /// transaction under the record row's ETag. A change too big for one transaction first widens
    /// the record row to old ∪ new, then writes the references in chunks, then narrows the record
    /// row: interrupted anywhere, the record row still lists every reference row that may exist,
    /// so the next call cleans them up.
    /// </summary>
    public async Task SetAsync(string did, string path, IReadOnlyList<Cid> blobs, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        var partition = Partition(did);
        var recordKey = RecordKey(path);
        var wanted = blobs.Select(CidString).Distinct(StringComparer.Ordinal).ToList();
        // Checks every key length before anything is written.
        _ = wanted.Select(c => RefKey(c, path)).ToList();
        var gone = new HashSet<string>(StringComparer.Ordinal);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var record = await table.GetEntityAsync(partition, recordKey, ct: ct).ConfigureAwait(false);
            var held = ReadRecordCids(record);
            if (held.ToHashSet(StringComparer.Ordinal).SetEquals(wanted))
            {
                return;
            }
            var added = wanted.Except(held, StringComparer.Ordinal).Select(c => TableTransactionAction.Upsert(RefEntity(partition, c, path)));
            var removed = held.Except(wanted, StringComparer.Ordinal)
                .Select(c => RefKey(c, path)).Where(k => !gone.Contains(k)).Select(k => TableTransactionAction.Delete(partition, k));
            List<TableTransactionAction> refs = [.. added, .. removed];
            try
            {
                if (refs.Count >= TableLimits.MaxBatchActions)
                {
                    await SetInStepsAsync(partition, path, record, held, wanted, refs, ct).ConfigureAwait(false);
                    return;
                }
                if (RecordWrite(partition, path, record, wanted) is { } write)
                {
                    refs.Add(write);
                }
                if (refs.Count > 0)
                {
                    await table.SubmitTransactionAsync(refs, ct).ConfigureAwait(false);
                }
                return;
            }
            catch (TableTransactionFailedException e) when (e.Status == 404 && e.FailedActionIndex is { } i && i < refs.Count
                && refs[i].Type == TableTransactionActionType.Delete && refs[i].Entity.RowKey != recordKey)
            {
                // A reference row an interrupted big change already deleted.
                gone.Add(refs[i].Entity.RowKey);
            }
            catch (StorageRequestException e) when (e.Status is 404 or 409 or 412)
            {
                // The record row changed since it was read: read it again.
            }
        }
        throw new InvalidOperationException($"record {path} kept changing while its blob references were set; gave up after {MaxAttempts} attempts");
    }

    /// <summary>Whether any reference row of the CID exists: a one-row range read.</summary>
    public async Task<bool> IsReferencedAsync(string did, Cid cid, CancellationToken ct) =>
        await table.FirstOrDefaultAsync(new TableQuery(TableRange.From(Partition(did), RefsOf(CidString(cid))), TableReads.Select()), ct)
            .ConfigureAwait(false) is not null;

    /// <summary>
    /// A merge of two ordered scans of the partition: reference rows and permanent blob rows,
    /// both in CID order from the cursor. A referenced CID with no permanent blob row is missing;
    /// its record path is the least of its referencing paths.
    /// </summary>
    public async Task<IReadOnlyList<(Cid Cid, string RecordPath)>> ListMissingAsync(string did, int limit, string? cursor, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var missing = new List<(Cid, string)>();
        if (limit == 0)
        {
            return missing;
        }
        var partition = Partition(did);
        var encodedCursor = cursor is null ? null : TableKey.Encode(cursor);
        // After every reference row of the cursor's CID: '"' is the character after the '!' separator.
        var refs = new TableQuery(TableRange.From(partition, RefPrefix, encodedCursor is null ? null : encodedCursor + "\""), TableReads.Select(CidName, PathName));
        var blobs = new TableQuery(
            TableRange.From(partition, BlobPrefix, encodedCursor, exclusive: true, extraFilter: $"{Permanent} eq true"), TableReads.Select(CidName));
        await using var present = table.QueryAsync(blobs, ct).GetAsyncEnumerator(ct);
        string? presentCid = null;
        var presentDone = false;
        string? cid = null;
        string? firstPath = null;

        async Task<bool> IsPresentAsync(string wanted)
        {
            while (!presentDone && (presentCid is null || string.CompareOrdinal(presentCid, wanted) < 0))
            {
                presentDone = !await present.MoveNextAsync().ConfigureAwait(false);
                presentCid = presentDone ? null : present.Current.RequiredString(CidName);
            }
            return presentCid == wanted;
        }

        await foreach (var row in table.QueryAsync(refs, ct).ConfigureAwait(false))
        {
            var rowCid = row.RequiredString(CidName);
            var rowPath = row.RequiredString(PathName);
            if (rowCid == cid)
            {
                firstPath = string.CompareOrdinal(rowPath, firstPath) < 0 ? rowPath : firstPath;
                continue;
            }
            if (cid is not null && !await IsPresentAsync(cid).ConfigureAwait(false))
            {
                missing.Add((Cid.Parse(cid), firstPath!));
                if (missing.Count == limit)
                {
                    return missing;
                }
            }
            (cid, firstPath) = (rowCid, rowPath);
        }
        if (cid is not null && !await IsPresentAsync(cid).ConfigureAwait(false))
        {
            missing.Add((Cid.Parse(cid), firstPath!));
        }
        return missing;
    }

    private async Task SetInStepsAsync(
        string partition, string path, TableEntity? record, List<string> held, List<string> wanted, List<TableTransactionAction> refs, CancellationToken ct)
    {
        var etag = record?.ETag;
        var union = held.Union(wanted, StringComparer.Ordinal).ToList();
        if (union.Count > held.Count)
        {
            var widened = RecordEntity(partition, path, union);
            etag = record is null
                ? await table.InsertAsync(widened, ct).ConfigureAwait(false)
                : await table.UpdateAsync(widened, record.ETag!, ct: ct).ConfigureAwait(false);
        }
        await table.SubmitInChunksAsync(refs, ct).ConfigureAwait(false);
        if (wanted.Count == 0)
        {
            await table.DeleteAsync(partition, RecordKey(path), etag!, ct).ConfigureAwait(false);
        }
        else
        {
            await table.UpdateAsync(RecordEntity(partition, path, wanted), etag!, ct: ct).ConfigureAwait(false);
        }
    }

    /// <summary>The record row's part of the transaction: insert, replace or delete it under its ETag (null when nothing changes).</summary>
    private static TableTransactionAction? RecordWrite(string partition, string path, TableEntity? record, List<string> wanted)
    {
        if (wanted.Count == 0)
        {
            return record is null ? null : TableTransactionAction.Delete(partition, record.RowKey, record.ETag!);
        }
        var row = RecordEntity(partition, path, wanted);
        return record is null ? TableTransactionAction.Insert(row) : TableTransactionAction.Update(row, record.ETag);
    }
}
