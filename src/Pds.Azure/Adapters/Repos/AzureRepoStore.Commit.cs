using Pds.Azure.Storage;
using Pds.Core.Ipld;
using Pds.Core.Mst;
using Pds.Core.Repo;
using Pds.Core.Storage;

namespace Pds.Azure.Adapters.Repos;

public sealed partial class AzureRepoStore
{
    private const string IndexBase = "IndexBase";
    private const string IndexSince = "IndexSince";

    /// <summary>The ETag to swap against: remembered from this process's last look, else read (and checked) now.</summary>
    private async Task<KnownHead> ExpectedHeadAsync(string did, Cid expected, CancellationToken ct)
    {
        if (_known.TryGetValue(did, out var known) && known.Cid == expected)
        {
            return known;
        }
        await ReadSettledHeadAsync(did, ct).ConfigureAwait(false);
        return _known.TryGetValue(did, out known) && known.Cid == expected ? known : throw new HeadConflictException(did);
    }

    /// <summary>
    /// Reads the head; while a large commit is still completing its record index, waits for it,
    /// and completes the index itself once the marker is older than the repair delay.
    /// </summary>
    private async Task<TableEntity?> ReadSettledHeadAsync(string did, CancellationToken ct)
    {
        while (true)
        {
            var head = await _table.GetEntityAsync(RepoRows.Partition(did), RepoRows.Head, ct: ct).ConfigureAwait(false);
            if (head is null)
            {
                _known.TryRemove(did, out _);
                return null;
            }
            if (head.GetDateTimeOffset(IndexSince) is not { } since)
            {
                _known[did] = new KnownHead(RepoRows.ReadHead(did, head).CommitCid, head.ETag!);
                return head;
            }
            if (_options.TimeProvider.GetUtcNow() - since < _options.IndexRepairAfter)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), _options.TimeProvider, ct).ConfigureAwait(false);
                continue;
            }
            await RepairIndexAsync(did, head, ct).ConfigureAwait(false);
        }
    }

    /// <summary>One transaction with the head action first; returns the new head's ETag.</summary>
    private async Task<string> SwapAsync(string did, List<TableTransactionAction> actions, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                var results = await _table.SubmitTransactionAsync(actions, ct).ConfigureAwait(false);
                return results[0].ETag ?? throw new InvalidDataException("the service returned no ETag for the head");
            }
            catch (TableTransactionFailedException e) when (e.FailedActionIndex is 0 || (e.FailedActionIndex is null && (e.IsConflict || e.IsPreconditionFailed)))
            {
                _known.TryRemove(did, out _);
                throw new HeadConflictException(did);
            }
            catch (TableTransactionFailedException e) when (e.IsNotFound && e.FailedActionIndex is { } i && i > 0
                && actions[i].Type == TableTransactionActionType.Delete)
            {
                // The index row to remove is already gone: the end state is the same without it.
                actions = [.. actions.Where((_, j) => j != i)];
            }
        }
    }

    private async Task<List<TableTransactionAction>> IndexActionsAsync(string did, CommitWrite commit, CancellationToken ct)
    {
        var actions = new List<TableTransactionAction>(commit.Records.Count * 2);
        var pk = RepoRows.Partition(did);
        foreach (var change in commit.Records)
        {
            if (change.Cid is null)
            {
                actions.Add(TableTransactionAction.Delete(pk, RepoRows.Record(change.Collection, change.Rkey)));
                actions.Add(TableTransactionAction.Delete(pk, RepoRows.Reverse(change.Collection, change.Rkey)));
                continue;
            }
            var bytes = commit.Blocks.TryGetValue(change.Cid, out var fresh)
                ? fresh
                : (await Blocks(did).GetBlockAsync(change.Cid, ct).ConfigureAwait(false))?.ToArray();
            actions.AddRange(RepoRows.RecordEntities(did, change.Collection, change.Rkey, change.Cid, bytes, commit.Head.Rev)
                .Select(e => TableTransactionAction.Upsert(e)));
        }
        return actions;
    }

    /// <summary>
    /// A commit too big for one transaction: blocks first, then the guarded swap with the event and
    /// as much of the index as fits, then the rest of the index, then the marker cleared.
    /// </summary>
    private async Task<string?> ApplyLargeAsync(
        string did, Cid? oldHead, TableEntity headEntity, TableTransactionAction headAction,
        List<TableTransactionAction> blocks, List<TableTransactionAction> index, List<TableTransactionAction> outbox, CancellationToken ct)
    {
        foreach (var batch in BatchPlanner.Split(blocks))
        {
            await _table.SubmitTransactionAsync(batch, ct).ConfigureAwait(false);
        }
        Step("blocks");
        List<TableTransactionAction> final = [headAction, .. outbox];
        var taken = 0;
        while (taken < index.Count && BatchPlanner.Fits([.. final, index[taken]]))
        {
            final.Add(index[taken++]);
        }
        var rest = index.Skip(taken).ToList();
        if (rest.Count > 0)
        {
            // The commit the index still reflects; empty for a new repository (the empty tree).
            headEntity.Set(IndexBase, oldHead?.Bytes.ToArray() ?? []);
            headEntity.Set(IndexSince, _options.TimeProvider.GetUtcNow());
        }
        var etag = await SwapAsync(did, final, ct).ConfigureAwait(false);
        Step("swap");
        if (rest.Count == 0)
        {
            return etag;
        }
        foreach (var batch in BatchPlanner.Split(rest))
        {
            await BatchPlanner.SubmitSkippingMissingAsync(_table, batch, ct).ConfigureAwait(false);
            Step("index");
        }
        headEntity.Remove(IndexBase);
        headEntity.Remove(IndexSince);
        try
        {
            return await _table.UpdateAsync(headEntity, etag, ct: ct).ConfigureAwait(false);
        }
        catch (StorageConcurrencyException)
        {
            // Someone judged us dead and completed the index; the result is the same.
            return null;
        }
    }

    /// <summary>Completes the record index of a large commit from the tree diff between the indexed root and the head's.</summary>
    private async Task RepairIndexAsync(string did, TableEntity head, CancellationToken ct)
    {
        // The only place storage decodes commits: the tree roots are inside them.
        var reader = Blocks(did);
        var baseBytes = head.GetBinary(IndexBase) ?? [];
        var before = baseBytes.Length == 0
            ? Mst.Empty(reader)
            : await Mst.LoadAsync(reader, await DataRootAsync(reader, Cid.FromBytes(baseBytes), ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        var after = await Mst.LoadAsync(reader, RepoCommit.Decode(RepoRows.ReadHead(did, head).CommitBytes).Data, ct).ConfigureAwait(false);
        var diff = await MstDiff.ComputeAsync(before, after, ct).ConfigureAwait(false);
        var changes = diff.Changes.Select(c =>
        {
            var slash = c.Key.IndexOf('/', StringComparison.Ordinal);
            return new RecordIndexChange(c.Key[..slash], c.Key[(slash + 1)..], c.After);
        }).ToList();
        var commit = new CommitWrite(null, RepoRows.ReadHead(did, head), new Dictionary<Cid, byte[]>(), changes, null);
        foreach (var batch in BatchPlanner.Split(await IndexActionsAsync(did, commit, ct).ConfigureAwait(false)))
        {
            await BatchPlanner.SubmitSkippingMissingAsync(_table, batch, ct).ConfigureAwait(false);
        }
        var settled = new TableEntity(head.PartitionKey, head.RowKey);
        foreach (var (name, value) in head.Properties.Where(p => p.Key is not (IndexBase or IndexSince)))
        {
            settled.Set(name, value);
        }
        try
        {
            await _table.UpdateAsync(settled, head.ETag!, ct: ct).ConfigureAwait(false);
        }
        catch (StorageConcurrencyException)
        {
            // The original writer finished first, or another repairer did.
        }
    }

    private static async Task<Cid> DataRootAsync(IBlockReader reader, Cid commit, CancellationToken ct)
    {
        var bytes = await reader.GetBlockAsync(commit, ct).ConfigureAwait(false) ?? throw new MissingBlockException(commit, "indexed commit");
        return RepoCommit.Decode(bytes.Span).Data;
    }
}
