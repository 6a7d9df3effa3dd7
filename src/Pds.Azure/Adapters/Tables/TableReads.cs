using System.Runtime.CompilerServices;
using Pds.Azure.Storage;

namespace Pds.Azure.Adapters.Tables;

/// <summary>Bounded reads over <see cref="TableClient"/> queries.</summary>
internal static class TableReads
{
    /// <summary>The service's largest page.</summary>
    public const int MaxPage = 1000;

    /// <summary>A $select that keeps the keys (entities cannot be read without them) plus <paramref name="names"/>.</summary>
    public static IReadOnlyList<string> Select(params string[] names) => ["PartitionKey", "RowKey", .. names];

    /// <summary>
    /// Up to <paramref name="limit"/> entities. A page may come back short, even empty, with a
    /// continuation (partition boundaries, 5-second server limit), so this follows continuations
    /// until it has enough or the query is exhausted.
    /// </summary>
    public static async Task<List<TableEntity>> TakeAsync(this TableClient table, TableQuery query, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var rows = new List<TableEntity>();
        TableContinuationToken? next = null;
        while (rows.Count < limit)
        {
            var page = await table.QueryPageAsync(query with { Top = Math.Min(limit - rows.Count, MaxPage) }, next, ct).ConfigureAwait(false);
            rows.AddRange(page.Entities.Take(limit - rows.Count));
            next = page.Continuation;
            if (next is null)
            {
                break;
            }
        }
        return rows;
    }

    public static async Task<TableEntity?> FirstOrDefaultAsync(this TableClient table, TableQuery query, CancellationToken ct) =>
        (await table.TakeAsync(query, 1, ct).ConfigureAwait(false)).FirstOrDefault();

    /// <summary>Every entity of the query, in chunks of at most <paramref name="size"/> (for bounded parallel follow-ups).</summary>
    public static async IAsyncEnumerable<List<TableEntity>> ChunksAsync(
        this TableClient table, TableQuery query, int size, [EnumeratorCancellation] CancellationToken ct)
    {
        var chunk = new List<TableEntity>(size);
        await foreach (var entity in table.QueryAsync(query, ct).ConfigureAwait(false))
        {
            chunk.Add(entity);
            if (chunk.Count == size)
            {
                yield return chunk;
                chunk = new List<TableEntity>(size);
            }
        }
        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }
}
