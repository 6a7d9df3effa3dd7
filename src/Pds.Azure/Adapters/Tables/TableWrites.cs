using Pds.Azure.Storage;

namespace Pds.Azure.Adapters.Tables;

/// <summary>Idempotent bulk writes: deletes that tolerate rows already gone, and chunked transactions.</summary>
internal static class TableWrites
{
    /// <summary>Deletes one entity whatever its ETag (or if it still is <paramref name="ifMatch"/>); false when it was not there.</summary>
    public static async Task<bool> TryDeleteAsync(this TableClient table, string partitionKey, string rowKey, CancellationToken ct, string ifMatch = "*")
    {
        try
        {
            await table.DeleteAsync(partitionKey, rowKey, ifMatch, ct).ConfigureAwait(false);
            return true;
        }
        catch (StorageNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Deletes the given rows in transactions of at most 100 per partition; rows already gone are skipped.</summary>
    public static Task DeleteAllAsync(this TableClient table, IEnumerable<(string PartitionKey, string RowKey)> keys, CancellationToken ct) =>
        table.SubmitInChunksAsync(keys.Distinct().Select(k => TableTransactionAction.Delete(k.PartitionKey, k.RowKey)), ct);

    /// <summary>Deletes every row matching <paramref name="filter"/>: a keys-only query, then <see cref="DeleteAllAsync"/>.</summary>
    public static async Task DeleteWhereAsync(this TableClient table, string filter, CancellationToken ct)
    {
        var keys = new List<(string, string)>();
        await foreach (var row in table.QueryAsync(new TableQuery(filter, TableReads.Select()), ct).ConfigureAwait(false))
        {
            keys.Add((row.PartitionKey, row.RowKey));
        }
        await table.DeleteAllAsync(keys, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Submits the actions as transactions of at most 100 per partition. Each chunk is atomic, the
    /// whole is not, so callers order their writes to be safe when interrupted between chunks. An
    /// unconditional delete of a row that is already gone is dropped and its chunk resubmitted.
    /// </summary>
    public static async Task SubmitInChunksAsync(this TableClient table, IEnumerable<TableTransactionAction> actions, CancellationToken ct)
    {
        foreach (var partition in actions.GroupBy(a => a.Entity.PartitionKey, StringComparer.Ordinal))
        {
            foreach (var chunk in partition.Chunk(TableLimits.MaxBatchActions))
            {
                await SubmitSkippingGoneAsync(table, chunk.ToList(), ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task SubmitSkippingGoneAsync(TableClient table, List<TableTransactionAction> actions, CancellationToken ct)
    {
        while (actions.Count > 0)
        {
            try
            {
                await table.SubmitTransactionAsync(actions, ct).ConfigureAwait(false);
                return;
            }
            catch (TableTransactionFailedException e) when (e.Status == 404 && e.FailedActionIndex is { } i && IsUnconditionalDelete(actions[i]))
            {
                actions.RemoveAt(i);
            }
        }
    }

    private static bool IsUnconditionalDelete(TableTransactionAction action) =>
        action.Type == TableTransactionActionType.Delete && action.IfMatch == "*";
}
