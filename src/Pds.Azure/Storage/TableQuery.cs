namespace Pds.Azure.Storage;

/// <summary>
/// A table query. <paramref name="Top"/> caps one page (the service allows at most 1000); a page
/// may hold fewer entities, even none, and still carry a continuation.
/// </summary>
public sealed record TableQuery(string? Filter = null, IReadOnlyList<string>? Select = null, int? Top = null);

/// <summary>Where the next page starts: the service's continuation values, passed back verbatim.</summary>
public sealed record TableContinuationToken(string NextPartitionKey, string? NextRowKey);

public sealed record TablePage(IReadOnlyList<TableEntity> Entities, TableContinuationToken? Continuation);

/// <summary>How an entity's properties are written: replace them all, or merge into the stored ones.</summary>
public enum TableUpdateMode
{
    Replace,
    Merge,
}

/// <summary>OData filter literals and the common key filters.</summary>
public static class TableFilter
{
    /// <summary>A string literal: single quotes, embedded quotes doubled.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string PartitionKeyEquals(string partitionKey) => "PartitionKey eq " + Quote(partitionKey);

    /// <summary>A binary literal, <c>X'0a1b…'</c> (hex digits only, so nothing to escape).</summary>
    public static string Binary(ReadOnlySpan<byte> value) => "X'" + Convert.ToHexStringLower(value) + "'";

    /// <summary>
    /// Rows of one partition whose RowKey starts with <paramref name="rowKeyPrefix"/>: a range from
    /// the prefix up to the prefix with its last character incremented.
    /// </summary>
    public static string RowKeyPrefix(string partitionKey, string rowKeyPrefix)
    {
        if (rowKeyPrefix.Length == 0)
        {
            return PartitionKeyEquals(partitionKey);
        }
        var last = rowKeyPrefix[^1];
        if (last == char.MaxValue)
        {
            throw new ArgumentException("a prefix ending in U+FFFF has no upper bound", nameof(rowKeyPrefix));
        }
        var upper = rowKeyPrefix[..^1] + (char)(last + 1);
        return $"{PartitionKeyEquals(partitionKey)} and RowKey ge {Quote(rowKeyPrefix)} and RowKey lt {Quote(upper)}";
    }
}
