using Pds.Azure.Adapters.Tables;
using Pds.Azure.Storage;
using Pds.Core.Ipld;
using static Pds.Azure.Adapters.BlobIndex.BlobIndexRows;

namespace Pds.Azure.Adapters.BlobIndex;

/// <summary>
/// The record → blob references of <see cref="AzureBlobIndex"/>: record rows, reference rows and
/// rev rows in the account's partition (<see cref="BlobIndexRows"/>).
/// </summary>
internal sealed class RecordBlobRefs(TableClient table)
{
    private const int MaxAttempts = 8;

    /// <summary>
    /// Reads the record row, then writes the reference changes, the record's rev row and the new
    /// record row in one transaction under the record row's ETag. A change too big for one
    /// transaction first widens the record row to old ∪ new, then writes the references in chunks,
    /// then narrows the record row and moves its rev row together: interrupted anywhere, the
    /// record row still lists every reference row that may exist and names the rev row that does,
    /// so the next call cleans them up. A rewrite with the same blobs still moves the rev row.
    /// </summary>
    public async Task SetAsync(string did, string path, IReadOnlyList<Cid> blobs, string rev, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(rev);
        var partition = Partition(did);
        var recordKey = RecordKey(path);
        var wanted = blobs.Select(CidString).Distinct(StringComparer.Ordinal).ToList();
        // Checks every key length before anything is written.
        _ = wanted.Select(c => RefKey(c, path)).Append(RevKey(rev, path)).ToList();
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var record = await table.GetEntityAsync(partition, recordKey, ct: ct).ConfigureAwait(false);
            var held = ReadRecordCids(record);
            var heldRev = ReadRev(record);
            if (held.ToHashSet(StringComparer.Ordinal).SetEquals(wanted) && (wanted.Count == 0 ? record is null : heldRev == rev))
            {
                return;
            }
            var added = wanted.Except(held, StringComparer.Ordinal).Select(c => TableTransactionAction.Upsert(RefEntity(partition, c, path)));
            var removed = held.Except(wanted, StringComparer.Ordinal).Select(c => TableTransactionAction.Delete(partition, RefKey(c, path)));
            List<TableTransactionAction> refs = [.. added, .. removed];
            var revMoves = RevMoves(partition, path, heldRev, rev, wanted);
            try
            {
                if (refs.Count + revMoves.Count + 1 > TableLimits.MaxBatchActions)
                {
                    await SetInStepsAsync(partition, path, record, held, wanted, rev, refs, ct).ConfigureAwait(false);
                    return;
                }
                List<TableTransactionAction> actions = [.. refs, .. revMoves];
                if (RecordWrite(partition, path, record, wanted, rev) is { } write)
                {
                    actions.Add(write);
                }
                // One partition and at most 100 actions: a single transaction. It drops the
                // unconditional deletes of rows an interrupted big change already removed.
                await table.SubmitInChunksAsync(actions, ct).ConfigureAwait(false);
                return;
            }
            catch (StorageRequestException e) when (e.Status is 404 or 409 or 412)
            {
                // The record row changed since it was read: read it again.
            }
        }
        throw new InvalidOperationException($"record {path} kept changing while its blob references were set; gave up after {MaxAttempts} attempts");
    }

    /// <summary>
    /// The distinct CIDs of the records written after <paramref name="since"/> that sort after
    /// <paramref name="cursor"/>, the least <paramref name="limit"/> of them: one range scan of the
    /// rev rows above <paramref name="since"/>, so a page costs the records changed since then, not
    /// the size of the account, and holds at most <paramref name="limit"/> CIDs in memory.
    /// </summary>
    public async Task<IReadOnlyList<Cid>> ListSinceAsync(string did, string since, int limit, string? cursor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(since);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var partition = Partition(did);
        await IndexUnknownRevsAsync(partition, ct).ConfigureAwait(false);
        var least = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync(new TableQuery(TableRange.From(partition, RevPrefix, RevsAfter(since))), ct).ConfigureAwait(false))
        {
            foreach (var cid in ReadRecordCids(row))
            {
                if ((cursor is null || string.CompareOrdinal(cid, cursor) > 0) && least.Add(cid) && least.Count > limit)
                {
                    least.Remove(least.Max!);
                }
            }
        }
        return least.Select(Cid.Parse).ToList();
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

    /// <summary>
    /// Record rows written before revs were kept have no rev row, and which commit wrote them is
    /// unknown. The first <c>since</c> listing of the account gives each one a rev row under
    /// <see cref="UnknownRev"/>, which every <c>since</c> lists (a consumer may fetch a blob again,
    /// never miss one), then marks the account so later listings skip the scan. Each row is
    /// converted under its ETag together with its rev row; a row rewritten meanwhile already has a
    /// real rev and is left alone.
    /// </summary>
    private async Task IndexUnknownRevsAsync(string partition, CancellationToken ct)
    {
        if (await table.GetEntityAsync(partition, RevsIndexedKey, TableReads.Select(), ct).ConfigureAwait(false) is not null)
        {
            return;
        }
        await foreach (var record in table.QueryAsync(new TableQuery(TableRange.From(partition, RecordPrefix)), ct).ConfigureAwait(false))
        {
            var cids = ReadRecordCids(record);
            if (ReadRev(record) is not null || cids.Count == 0)
            {
                continue;
            }
            var path = RecordPathOf(record);
            try
            {
                await table.SubmitTransactionAsync(
                    [
                        TableTransactionAction.Update(RecordEntity(partition, path, cids, UnknownRev), record.ETag),
                        TableTransactionAction.Upsert(RevEntity(partition, UnknownRev, path, cids)),
                    ], ct).ConfigureAwait(false);
            }
            catch (StorageRequestException e) when (e.Status is 404 or 412)
            {
                // Rewritten or removed since the scan read it: it carries a real rev now, or nothing to list.
            }
        }
        await table.UpsertAsync(new TableEntity(partition, RevsIndexedKey), ct: ct).ConfigureAwait(false);
    }

    private async Task SetInStepsAsync(
        string partition, string path, TableEntity? record, List<string> held, List<string> wanted, string rev,
        List<TableTransactionAction> refs, CancellationToken ct)
    {
        var etag = record?.ETag;
        var heldRev = ReadRev(record);
        var union = held.Union(wanted, StringComparer.Ordinal).ToList();
        if (union.Count > held.Count)
        {
            // The rev row widens with the record row (a new record's under UnknownRev): stopped
            // before the end, the record is still listed by since, with extra CIDs at worst.
            heldRev ??= UnknownRev;
            var widened = RecordEntity(partition, path, union, heldRev);
            var results = await table.SubmitTransactionAsync(
                [
                    record is null ? TableTransactionAction.Insert(widened) : TableTransactionAction.Update(widened, record.ETag),
                    TableTransactionAction.Upsert(RevEntity(partition, heldRev, path, union)),
                ], ct).ConfigureAwait(false);
            etag = results[0].ETag ?? throw new InvalidDataException($"the service returned no ETag for record row {RecordKey(path)}");
        }
        await table.SubmitInChunksAsync(refs, ct).ConfigureAwait(false);
        var narrowed = wanted.Count == 0
            ? TableTransactionAction.Delete(partition, RecordKey(path), etag!)
            : TableTransactionAction.Update(RecordEntity(partition, path, wanted, rev), etag);
        await table.SubmitInChunksAsync([.. RevMoves(partition, path, heldRev, rev, wanted), narrowed], ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The rev row follows the record row: the one it names goes (unless it is the one being
    /// rewritten), and the wanted CIDs are listed under <paramref name="rev"/>.
    /// </summary>
    private static List<TableTransactionAction> RevMoves(string partition, string path, string? heldRev, string rev, List<string> wanted)
    {
        var moves = new List<TableTransactionAction>(2);
        if (heldRev is not null && (heldRev != rev || wanted.Count == 0))
        {
            moves.Add(TableTransactionAction.Delete(partition, RevKey(heldRev, path)));
        }
        if (wanted.Count > 0)
        {
            moves.Add(TableTransactionAction.Upsert(RevEntity(partition, rev, path, wanted)));
        }
        return moves;
    }

    /// <summary>The record row's part of the transaction: insert, replace or delete it under its ETag (null when nothing changes).</summary>
    private static TableTransactionAction? RecordWrite(string partition, string path, TableEntity? record, List<string> wanted, string rev)
    {
        if (wanted.Count == 0)
        {
            return record is null ? null : TableTransactionAction.Delete(partition, record.RowKey, record.ETag!);
        }
        var row = RecordEntity(partition, path, wanted, rev);
        return record is null ? TableTransactionAction.Insert(row) : TableTransactionAction.Update(row, record.ETag);
    }
}
