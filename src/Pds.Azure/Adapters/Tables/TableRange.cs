using Pds.Azure.Storage;

namespace Pds.Azure.Adapters.Tables;

/// <summary>Filters for one partition's rows whose RowKey starts with a prefix, optionally after a cursor.</summary>
internal static class TableRange
{
    /// <summary>
    /// Rows of <paramref name="partitionKey"/> with RowKey in [<paramref name="prefix"/> + <paramref name="fromSuffix"/>,
    /// end of prefix) — or strictly after that key when <paramref name="exclusive"/>. A null suffix
    /// starts at the first row of the prefix.
    /// </summary>
    public static string From(string partitionKey, string prefix, string? fromSuffix = null, bool exclusive = false, string? extraFilter = null)
    {
        var lower = prefix + (fromSuffix ?? "");
        var op = fromSuffix is not null && exclusive ? "gt" : "ge";
        var filter = $"{TableFilter.PartitionKeyEquals(partitionKey)} and RowKey {op} {TableFilter.Quote(lower)} " +
            $"and RowKey lt {TableFilter.Quote(StoreKey.UpperBound(prefix))}";
        return extraFilter is null ? filter : $"{filter} and {extraFilter}";
    }
}
