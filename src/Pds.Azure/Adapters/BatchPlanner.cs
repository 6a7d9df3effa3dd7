using Pds.Azure.Storage;

namespace Pds.Azure.Adapters;

/// <summary>
/// Splits actions on one partition into entity-group transactions that respect the service's
/// limits: 100 actions and a 4 MiB body, where binary values travel as base64 (4/3 of their size).
/// </summary>
public static class BatchPlanner
{
    /// <summary>Below the 4 MiB body limit with room for the multipart framing of 100 actions.</summary>
    public const long MaxBodyEstimate = 3_500_000;

    public static long Estimate(TableTransactionAction action)
    {
        long size = 400 + 2L * (action.Entity.PartitionKey.Length + action.Entity.RowKey.Length);
        foreach (var (name, value) in action.Entity.Properties)
        {
            size += name.Length + 40 + value switch
            {
                byte[] b => (b.Length + 2) / 3 * 4,
                string s => s.Length * 2L,
                _ => 40,
            };
        }
        return size;
    }

    public static bool Fits(IReadOnlyCollection<TableTransactionAction> actions) =>
        actions.Count <= TableLimits.MaxBatchActions && actions.Sum(Estimate) <= MaxBodyEstimate;

    /// <summary>Consecutive groups, each a valid transaction; order is kept.</summary>
    public static IEnumerable<List<TableTransactionAction>> Split(IEnumerable<TableTransactionAction> actions)
    {
        var batch = new List<TableTransactionAction>();
        long size = 0;
        foreach (var action in actions)
        {
            var estimate = Estimate(action);
            if (batch.Count > 0 && (batch.Count == TableLimits.MaxBatchActions || size + estimate > MaxBodyEstimate))
            {
                yield return batch;
                batch = [];
                size = 0;
            }
            batch.Add(action);
            size += estimate;
        }
        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    /// <summary>
    /// Submits deletes in transactions, tolerating rows that are already gone: a transaction that
    /// fails on a missing row is retried without it.
    /// </summary>
    public static async Task<int> DeleteAsync(TableClient table, IEnumerable<(string PartitionKey, string RowKey)> rows, CancellationToken ct)
    {
        var deleted = 0;
        foreach (var group in rows.GroupBy(r => r.PartitionKey))
        {
            foreach (var batch in Split(group.Select(r => TableTransactionAction.Delete(r.PartitionKey, r.RowKey))))
            {
                deleted += await SubmitSkippingMissingAsync(table, batch, ct).ConfigureAwait(false);
            }
        }
        return deleted;
    }

    /// <summary>
    /// Submits; a delete of a row that does not exist, or (when it names an ETag) that changed
    /// since it was read, is dropped and the rest resubmitted.
    /// </summary>
    public static async Task<int> SubmitSkippingMissingAsync(TableClient table, List<TableTransactionAction> batch, CancellationToken ct)
    {
        while (batch.Count > 0)
        {
            try
            {
                await table.SubmitTransactionAsync(batch, ct).ConfigureAwait(false);
                return batch.Count;
            }
            catch (TableTransactionFailedException e) when ((e.IsNotFound || e.IsPreconditionFailed) && e.FailedActionIndex is { } i && i < batch.Count
                && batch[i].Type == TableTransactionActionType.Delete)
            {
                batch = [.. batch.Where((_, j) => j != i)];
            }
        }
        return 0;
    }
}
