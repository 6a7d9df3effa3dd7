using System.Collections.Concurrent;
using Pds.Azure.Adapters.Events;
using Pds.Azure.Storage;
using Pds.Core.Ipld;
using Pds.Core.Storage;

namespace Pds.Azure.Adapters.Repos;

/// <summary>
/// Repositories in Table Storage, one partition per DID (layout in <see cref="RepoRows"/>). A
/// commit that fits one entity-group transaction (every ordinary write) is exactly one request:
/// the head replaced under If-Match, its blocks, both index rows per record and the outbox event,
/// all or nothing. Larger commits write their blocks first (content-addressed, harmless if the
/// commit never lands), then the same guarded head swap with the event, then the rest of the
/// record index; the head carries a marker until the index is complete, and a writer or reader
/// that finds a marker older than <see cref="AzureRepoStoreOptions.IndexRepairAfter"/> completes
/// the index from the tree diff. See README.md.
/// </summary>
public sealed partial class AzureRepoStore : IRepoStore
{
    private readonly TableClient _table;
    private readonly AzureRepoStoreOptions _options;

    /// <summary>The last head this process saw per repo (not pending), so a commit needs no head read for its If-Match.</summary>
    private readonly ConcurrentDictionary<string, KnownHead> _known = new(StringComparer.Ordinal);

    public AzureRepoStore(TableClient table, AzureRepoStoreOptions? options = null)
    {
        _table = table;
        _options = options ?? new AzureRepoStoreOptions();
    }

    public async Task<StoredHead?> GetHeadAsync(string did, CancellationToken ct = default) =>
        (await ReadSettledHeadAsync(did, ct).ConfigureAwait(false)) is { } head ? RepoRows.ReadHead(did, head) : null;

    public IBlockReader Blocks(string did) => new AzureBlockReader(_table, did, _options.Cache);

    public async Task ApplyCommitAsync(string did, CommitWrite commit, CancellationToken ct = default)
    {
        if (commit.Head.Did != did)
        {
            throw new ArgumentException($"head is for {commit.Head.Did}, not {did}", nameof(commit));
        }
        var known = commit.ExpectedHead is null ? null : await ExpectedHeadAsync(did, commit.ExpectedHead, ct).ConfigureAwait(false);
        var headEntity = RepoRows.HeadEntity(did, commit.Head);
        var headAction = known is null ? TableTransactionAction.Insert(headEntity) : TableTransactionAction.Update(headEntity, known.ETag);
        var blocks = commit.Blocks.SelectMany(b => BlockActions(did, b.Key, b.Value, commit.Head.Rev)).ToList();
        var index = await IndexActionsAsync(did, commit, ct).ConfigureAwait(false);
        var outbox = commit.Event is null ? [] : OutboxRows.Build(commit.Event).Select(TableTransactionAction.Insert).ToList();
        var nodeDeletes = NodeDeletes(did, commit.Removed);

        List<TableTransactionAction> single = [headAction, .. blocks, .. index, .. outbox, .. nodeDeletes];
        string? etag;
        if (BatchPlanner.Fits(single))
        {
            etag = await SwapAsync(did, single, ct).ConfigureAwait(false);
            nodeDeletes.Clear();
        }
        else
        {
            etag = await ApplyLargeAsync(did, commit.ExpectedHead, headEntity, headAction, blocks, index, outbox, ct).ConfigureAwait(false);
        }
        foreach (var (cid, bytes) in commit.Blocks)
        {
            _options.Cache.Put(did, cid, bytes);
        }
        foreach (var cid in commit.Removed?.Nodes ?? [])
        {
            _options.Cache.Remove(did, cid);
        }
        await DeleteAfterCommitAsync(did, nodeDeletes, commit.Removed, ct).ConfigureAwait(false);
        if (etag is not null)
        {
            _known[did] = new KnownHead(commit.Head.CommitCid, etag);
        }
        Step("done");
    }

    public async Task<StoredRecord?> GetRecordAsync(string did, string collection, string rkey, CancellationToken ct = default)
    {
        var row = await _table.GetEntityAsync(RepoRows.Partition(did), RepoRows.Record(collection, rkey), ct: ct).ConfigureAwait(false);
        return row is null ? null : await ToRecordAsync(did, row, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredRecord>> ListRecordsAsync(
        string did, string collection, int limit, string? cursor, bool reverse, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var prefix = reverse ? RepoRows.ReverseCollectionPrefix(collection) : RepoRows.CollectionPrefix(collection);
        var pk = RepoRows.Partition(did);
        var lower = cursor is null
            ? $"RowKey ge {TableFilter.Quote(prefix)}"
            : $"RowKey gt {TableFilter.Quote(reverse ? RepoRows.Reverse(collection, cursor) : RepoRows.Record(collection, cursor))}";
        var upper = prefix[..^1] + (char)(prefix[^1] + 1);
        var filter = $"{TableFilter.PartitionKeyEquals(pk)} and {lower} and RowKey lt {TableFilter.Quote(upper)}";
        var records = new List<StoredRecord>(Math.Min(limit, 100));
        await foreach (var row in _table.QueryAsync(new TableQuery(filter, Top: Math.Min(limit, 1000)), ct).ConfigureAwait(false))
        {
            records.Add(await ToRecordAsync(did, row, ct).ConfigureAwait(false));
            if (records.Count == limit)
            {
                break;
            }
        }
        return records;
    }

    /// <summary>One request per collection: each query jumps past the collection just found.</summary>
    public async Task<IReadOnlyList<string>> ListCollectionsAsync(string did, CancellationToken ct = default)
    {
        var pk = RepoRows.Partition(did);
        var collections = new List<string>();
        var from = RepoRows.RecordPrefix;
        while (true)
        {
            var filter = $"{TableFilter.PartitionKeyEquals(pk)} and RowKey ge {TableFilter.Quote(from)} and RowKey lt {TableFilter.Quote("r\"")}";
            var next = await FirstRowAsync(filter, ["PartitionKey", "RowKey", "Collection"], ct).ConfigureAwait(false);
            if (next?.GetString("Collection") is not { } collection)
            {
                return collections;
            }
            collections.Add(collection);
            var prefix = RepoRows.CollectionPrefix(collection);
            from = prefix[..^1] + (char)(prefix[^1] + 1);
        }
    }

    public async Task<IReadOnlyList<StoredHead>> ListHeadsAsync(int limit, string? cursorDid, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var filter = "RowKey eq " + TableFilter.Quote(RepoRows.Head);
        if (cursorDid is not null)
        {
            filter = $"PartitionKey gt {TableFilter.Quote(RepoRows.Partition(cursorDid))} and " + filter;
        }
        var heads = new List<StoredHead>();
        await foreach (var row in _table.QueryAsync(new TableQuery(filter, Top: Math.Min(limit, 1000)), ct).ConfigureAwait(false))
        {
            heads.Add(RepoRows.ReadHead(TableKey.Decode(row.PartitionKey), row));
            if (heads.Count == limit)
            {
                break;
            }
        }
        return heads;
    }

    /// <summary>Everything of the repository except outbox events, which belong to the firehose.</summary>
    public async Task DeleteRepoAsync(string did, CancellationToken ct = default)
    {
        var pk = RepoRows.Partition(did);
        var rows = new List<(string, string)>();
        await foreach (var row in _table.QueryAsync(new TableQuery(TableFilter.PartitionKeyEquals(pk), ["PartitionKey", "RowKey"]), ct).ConfigureAwait(false))
        {
            if (!row.RowKey.StartsWith(RepoRows.OutboxPrefix, StringComparison.Ordinal))
            {
                rows.Add((pk, row.RowKey));
            }
        }
        // The head goes last: a crash midway leaves a repo that still exists and can be deleted again.
        rows.Sort((a, b) => (a.Item2 == RepoRows.Head).CompareTo(b.Item2 == RepoRows.Head));
        await BatchPlanner.DeleteAsync(_table, rows, ct).ConfigureAwait(false);
        _known.TryRemove(did, out _);
        _options.Cache.RemoveRepo(did);
    }

    /// <summary>The first row a filtered query matches, or null.</summary>
    private async Task<TableEntity?> FirstRowAsync(string filter, IReadOnlyList<string> select, CancellationToken ct)
    {
        TableContinuationToken? continuation = null;
        do
        {
            // A filtered scan may return empty pages with a continuation; follow them to a row or the end.
            var page = await _table.QueryPageAsync(new TableQuery(filter, select, 1), continuation, ct).ConfigureAwait(false);
            if (page.Entities.Count > 0)
            {
                return page.Entities[0];
            }
            continuation = page.Continuation;
        }
        while (continuation is not null);
        return null;
    }

    private void Step(string name) => _options.OnCommitStep?.Invoke(name);

    private static IEnumerable<TableTransactionAction> BlockActions(string did, Cid cid, byte[] bytes, string rev)
    {
        var rows = ChunkedRows.Build(RepoRows.Partition(did), RepoRows.Block(cid), bytes);
        foreach (var row in rows)
        {
            // Every row carries the rev so getRepo's "since" filter keeps continuation rows too.
            row.Set("Rev", rev);
            yield return TableTransactionAction.Upsert(row);
        }
    }

    private async Task<StoredRecord> ToRecordAsync(string did, TableEntity row, CancellationToken ct)
    {
        var cid = RepoRows.RecordCid(row);
        var bytes = EntityBytes.Read(row, "Bytes");
        if (bytes is null)
        {
            var block = await Blocks(did).GetBlockAsync(cid, ct).ConfigureAwait(false)
                ?? throw new MissingBlockException(cid, $"record {row.GetString("Collection")}/{row.GetString("Rkey")} of {did}");
            bytes = block.ToArray();
        }
        return new StoredRecord(
            row.GetString("Collection") ?? throw RepoRows.Corrupt(row, "Collection"),
            row.GetString("Rkey") ?? throw RepoRows.Corrupt(row, "Rkey"),
            cid, bytes);
    }

    private sealed record KnownHead(Cid Cid, string ETag);
}
