namespace Pds.Azure.Storage;

/// <summary>A value or entity over a Table service limit; raised before any request is sent.</summary>
public sealed class TableLimitException(string message) : ArgumentException(message);

/// <summary>
/// The Table service limits, enforced here because Azurite does not enforce all of them the way
/// Azure does. Entity size follows the service's documented formula: 4 + 2 x (key lengths) +
/// per property 8 + 2 x name length + the value's size.
/// </summary>
public static class TableLimits
{
    public const int MaxBinaryBytes = 64 * 1024;
    public const int MaxStringChars = 32 * 1024;          // 64 KiB of UTF-16
    public const int MaxEntityBytes = 1024 * 1024;
    public const int MaxCustomProperties = 252;           // 255 including PartitionKey, RowKey, Timestamp
    public const int MaxPropertyNameChars = 255;
    public const int MaxBatchActions = 100;
    public const int MaxBatchBodyBytes = 4 * 1024 * 1024;

    /// <summary>Edm.DateTime starts at 1601-01-01 UTC.</summary>
    public static readonly DateTimeOffset MinDateTime = new(1601, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static long EntitySize(TableEntity entity)
    {
        long size = 4 + 2L * (entity.PartitionKey.Length + entity.RowKey.Length);
        foreach (var (name, value) in entity.Properties)
        {
            size += 8 + 2L * name.Length + ValueSize(value);
        }
        return size;
    }

    /// <exception cref="TableLimitException">Which property or limit, with the numbers.</exception>
    public static void Validate(TableEntity entity)
    {
        if (entity.Properties.Count > MaxCustomProperties)
        {
            throw new TableLimitException($"entity ({entity.PartitionKey}, {entity.RowKey}) has {entity.Properties.Count} properties; at most {MaxCustomProperties} are allowed besides the keys and Timestamp");
        }
        foreach (var (name, value) in entity.Properties)
        {
            switch (value)
            {
                case byte[] bytes when bytes.Length > MaxBinaryBytes:
                    throw new TableLimitException($"binary property '{name}' is {bytes.Length} bytes; Edm.Binary is limited to {MaxBinaryBytes} bytes (split it or use a blob)");
                case string s when s.Length > MaxStringChars:
                    throw new TableLimitException($"string property '{name}' is {s.Length} characters; Edm.String is limited to {MaxStringChars} (64 KiB of UTF-16)");
                case DateTimeOffset d when d < MinDateTime:
                    throw new TableLimitException($"date property '{name}' is before 1601-01-01, the first Edm.DateTime value");
            }
        }
        var size = EntitySize(entity);
        if (size > MaxEntityBytes)
        {
            throw new TableLimitException($"entity ({entity.PartitionKey}, {entity.RowKey}) is {size} bytes by the service's size formula; the limit is {MaxEntityBytes} (1 MiB)");
        }
    }

    internal static void ValidatePropertyName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > MaxPropertyNameChars)
        {
            throw new TableLimitException($"property name of {name.Length} characters; at most {MaxPropertyNameChars} are allowed");
        }
        if (name is "PartitionKey" or "RowKey" or "Timestamp" || name.StartsWith("odata.", StringComparison.Ordinal) || name.Contains('@', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is reserved or not a valid property name", nameof(name));
        }
    }

    private static long ValueSize(object value) => value switch
    {
        string s => 4 + 2L * s.Length,
        byte[] b => 4 + b.Length,
        bool => 1,
        int => 4,
        long or double or DateTimeOffset => 8,
        Guid => 16,
        _ => throw new ArgumentException($"unsupported property type {value.GetType().Name}"),
    };
}
