using System.Runtime.CompilerServices;
using Pds.Azure.Storage;
using Pds.Core.Ipld;
using Pds.Core.Repo;
using Pds.Core.Storage;

namespace Pds.Azure.Adapters.Repos;

/// <summary>
/// Deleting what a commit leaves unreachable, and reading a repository as of one moment. Removed
/// tree nodes and the old commit are deleted inside the commit's own transaction when it fits
/// (the service drops a delete of a row that is already gone, see <c>SwapAsync</c>); after a large
/// commit they go once its index is complete, because index repair diffs from the old tree.
/// Record blocks go after the commit, each only when no index row still points at it. Anything
/// a crash leaves behind is unreachable garbage: exports walk from the head, so it never ships.
/// </summary>
public sealed partial class AzureRepoStore
{
    private const int SnapshotAttempts = 5;

    /// <summary>Nodes and commits are far below one row (960 KiB), so each is a single delete.</summary>
    private static List<TableTransactionAction> NodeDeletes(string did, RemovedBlocks? removed) =>
        (removed?.Nodes ?? []).Select(cid => TableTransactionAction.Delete(RepoRows.Partition(did), RepoRows.Block(cid))).ToList();

    /// <summary>
    /// Runs after the head moved: the commit has landed whatever happens here, so a failure only
    /// leaves garbage behind and must not turn into an error for the writer. Another process may
    /// meanwhile commit a tree or a record that needs one of these blocks again (a node an edit
    /// brings back, an identical record): it rewrites the block, which changes its ETag. So each
    /// block's rows are read with their ETags first, a record's index checked second, and the
    /// deletes are conditional on those ETags: a block written again is kept.
    /// </summary>
    private async Task DeleteAfterCommitAsync(string did, List<TableTransactionAction> nodeDeletes, RemovedBlocks? removed, CancellationToken ct)
    {
        try
        {
            var doomed = new List<TableTransactionAction>();
            foreach (var node in nodeDeletes)
            {
                doomed.AddRange(await BlockRowDeletesAsync(did, node.Entity.RowKey, ct).ConfigureAwait(false));
            }
            foreach (var cid in removed?.Records ?? [])
            {
                var rows = await BlockRowDeletesAsync(did, RepoRows.Block(cid), ct).ConfigureAwait(false);
                if (rows.Count > 0 && !await IsRecordIndexedAsync(did, cid, ct).ConfigureAwait(false))
                {
                    doomed.AddRange(rows);
                    _options.Cache.Remove(did, cid);
                }
            }
            foreach (var batch in BatchPlanner.Split(doomed))
            {
                await BatchPlanner.SubmitSkippingMissingAsync(_table, batch, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is StorageRequestException or HttpRequestException or TaskCanceledException)
        {
            // Left behind as unreachable garbage; nothing reachable was touched.
        }
    }

    /// <summary>Deletes for a block's first row and continuation rows, each conditional on the ETag just read.</summary>
    private async Task<List<TableTransactionAction>> BlockRowDeletesAsync(string did, string blockRowKey, CancellationToken ct)
    {
        var deletes = new List<TableTransactionAction>();
        var query = new TableQuery(TableFilter.RowKeyPrefix(RepoRows.Partition(did), blockRowKey), ["PartitionKey", "RowKey"]);
        await foreach (var row in _table.QueryAsync(query, ct).ConfigureAwait(false))
        {
            if (row.ETag is { } etag)
            {
                deletes.Add(TableTransactionAction.Delete(row.PartitionKey, row.RowKey, etag));
            }
        }
        return deletes;
    }

    /// <summary>Whether any forward index row still points at <paramref name="cid"/> (identical records share a block).</summary>
    private async Task<bool> IsRecordIndexedAsync(string did, Cid cid, CancellationToken ct)
    {
        var filter = $"{TableFilter.PartitionKeyEquals(RepoRows.Partition(did))} and RowKey ge {TableFilter.Quote(RepoRows.RecordPrefix)} " +
            $"and RowKey lt {TableFilter.Quote("r\"")} and Cid eq {TableFilter.Binary(cid.Bytes)}";
        return await FirstRowAsync(filter, ["PartitionKey", "RowKey"], ct).ConfigureAwait(false) is not null;
    }

    /// <summary>
    /// Table queries are not snapshots, so the blocks are read between two reads of the head and
    /// kept only if the head did not move meanwhile; the full export then walks from the head,
    /// which leaves out any garbage a crashed commit wrote.
    /// </summary>
    public async Task<RepoSnapshot?> OpenSnapshotAsync(string did, string? sinceRev, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var before = await ReadSettledHeadAsync(did, ct).ConfigureAwait(false);
            if (before is null)
            {
                return null;
            }
            var blocks = new Dictionary<Cid, ReadOnlyMemory<byte>>();
            await foreach (var (cid, bytes) in ListStoredBlocksAsync(did, sinceRev, ct).ConfigureAwait(false))
            {
                blocks[cid] = bytes;
            }
            var after = await _table.GetEntityAsync(RepoRows.Partition(did), RepoRows.Head, ct: ct).ConfigureAwait(false);
            if (after?.ETag == before.ETag || attempt == SnapshotAttempts)
            {
                var head = RepoRows.ReadHead(did, before);
                var view = sinceRev is null
                    ? RepoExport.ReachableAsync(blocks, new RepoHead(head.CommitCid, RepoCommit.Decode(head.CommitBytes)), ct)
                    : Listed(blocks);
                return new RepoSnapshot(head, view);
            }
        }
    }

    private static async IAsyncEnumerable<KeyValuePair<Cid, ReadOnlyMemory<byte>>> Listed(Dictionary<Cid, ReadOnlyMemory<byte>> blocks)
    {
        foreach (var block in blocks)
        {
            yield return block;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private async IAsyncEnumerable<KeyValuePair<Cid, ReadOnlyMemory<byte>>> ListStoredBlocksAsync(
        string did, string? sinceRev, [EnumeratorCancellation] CancellationToken ct)
    {
        var filter = TableFilter.RowKeyPrefix(RepoRows.Partition(did), RepoRows.BlockPrefix);
        if (sinceRev is not null)
        {
            filter += " and Rev gt " + TableFilter.Quote(sinceRev);
        }
        await foreach (var rows in ChunkedRows.GroupAsync(_table.QueryAsync(new TableQuery(filter), ct)).ConfigureAwait(false))
        {
            var cid = Cid.Parse(rows[0].RowKey[RepoRows.BlockPrefix.Length..]);
            yield return new(cid, ChunkedRows.Read(rows));
        }
    }
}
