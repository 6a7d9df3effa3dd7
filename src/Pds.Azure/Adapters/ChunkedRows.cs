using Pds.Azure.Storage;

namespace Pds.Azure.Adapters;

/// <summary>
/// A value too big for one entity (firehose frames and blocks may reach ~2 MB) spread over a
/// first row <c>{key}</c> and continuation rows <c>{key}!1</c>, <c>{key}!2</c>… in the same
/// partition. Continuation keys sort right after their first row and before any following key
/// of the same shape, so a range query returns every value's rows together and in order.
/// </summary>
public static class ChunkedRows
{
    private const string Data = "D";
    private const string RowCount = "Rows";

    /// <summary>The first row (carrying <paramref name="properties"/>) and any continuation rows.</summary>
    public static List<TableEntity> Build(string partitionKey, string rowKey, ReadOnlySpan<byte> data, IEnumerable<KeyValuePair<string, object>>? properties = null)
    {
        var rows = new List<TableEntity>();
        var first = new TableEntity(partitionKey, rowKey);
        foreach (var (name, value) in properties ?? [])
        {
            first.Set(name, value);
        }
        // The first row keeps room for its other properties.
        var firstCapacity = EntityBytes.MaxBytes - 64 * 1024;
        var take = Math.Min(firstCapacity, data.Length);
        EntityBytes.Write(first, Data, data[..take]);
        rows.Add(first);
        data = data[take..];
        while (!data.IsEmpty)
        {
            take = Math.Min(EntityBytes.MaxBytes, data.Length);
            var next = new TableEntity(partitionKey, ContinuationKey(rowKey, rows.Count));
            EntityBytes.Write(next, Data, data[..take]);
            rows.Add(next);
            data = data[take..];
        }
        if (rows.Count > 1)
        {
            first.Set(RowCount, rows.Count);
        }
        return rows;
    }

    /// <summary>Two digits, so key order is numeric order (99 rows hold ~95 MB, far past any frame or block).</summary>
    public static string ContinuationKey(string rowKey, int index) =>
        index is > 0 and < 100 ? rowKey + "!" + index.ToString("D2", System.Globalization.CultureInfo.InvariantCulture)
            : throw new ArgumentOutOfRangeException(nameof(index), "a value spans at most 99 rows");

    /// <summary>How many rows the value spans (1 when the first row holds it all).</summary>
    public static int CountOf(TableEntity first) => first.GetInt32(RowCount) ?? 1;

    /// <summary>True when <paramref name="row"/> is a continuation row of <paramref name="first"/>.</summary>
    public static bool IsContinuationOf(TableEntity row, TableEntity first) =>
        row.PartitionKey == first.PartitionKey && row.RowKey.StartsWith(first.RowKey + "!", StringComparison.Ordinal);

    /// <summary>Joins the rows of one value, checking none is missing.</summary>
    public static byte[] Read(IReadOnlyList<TableEntity> rows)
    {
        if (rows.Count == 0 || rows.Count != CountOf(rows[0]))
        {
            throw new InvalidDataException(
                $"value at ({rows.FirstOrDefault()?.PartitionKey}, {rows.FirstOrDefault()?.RowKey}) has {rows.Count} of {(rows.Count == 0 ? 1 : CountOf(rows[0]))} rows");
        }
        if (rows.Count == 1)
        {
            return EntityBytes.Read(rows[0], Data) ?? throw new InvalidDataException($"row ({rows[0].PartitionKey}, {rows[0].RowKey}) has no data");
        }
        using var buffer = new MemoryStream();
        foreach (var row in rows)
        {
            buffer.Write(EntityBytes.Read(row, Data) ?? throw new InvalidDataException($"row ({row.PartitionKey}, {row.RowKey}) has no data"));
        }
        return buffer.ToArray();
    }

    /// <summary>Groups a key-ordered stream of rows into values (first row + its continuations).</summary>
    public static async IAsyncEnumerable<IReadOnlyList<TableEntity>> GroupAsync(IAsyncEnumerable<TableEntity> rows)
    {
        List<TableEntity>? current = null;
        await foreach (var row in rows.ConfigureAwait(false))
        {
            if (current is not null && IsContinuationOf(row, current[0]))
            {
                current.Add(row);
                continue;
            }
            if (current is not null)
            {
                yield return current;
            }
            current = [row];
        }
        if (current is not null)
        {
            yield return current;
        }
    }

    /// <summary>The continuation rows of <paramref name="first"/>, fetched with one range query.</summary>
    public static async Task<List<TableEntity>> ReadAllRowsAsync(TableClient table, TableEntity first, CancellationToken ct)
    {
        var rows = new List<TableEntity> { first };
        if (CountOf(first) == 1)
        {
            return rows;
        }
        var filter = TableFilter.RowKeyPrefix(first.PartitionKey, first.RowKey + "!");
        await foreach (var row in table.QueryAsync(new TableQuery(filter), ct).ConfigureAwait(false))
        {
            rows.Add(row);
        }
        return rows;
    }
}
