namespace Pds.Azure.Storage;

/// <summary>
/// A table entity: keys, the ETag it was read with, and typed properties. Property values are
/// one of string, bool, int (Edm.Int32), long (Edm.Int64), double, byte[] (Edm.Binary),
/// DateTimeOffset (Edm.DateTime) or Guid; anything else is rejected when set.
/// </summary>
public sealed class TableEntity
{
    private readonly Dictionary<string, object> _properties = new(StringComparer.Ordinal);

    public TableEntity(string partitionKey, string rowKey)
    {
        TableKey.Validate(partitionKey, nameof(partitionKey));
        TableKey.Validate(rowKey, nameof(rowKey));
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public string PartitionKey { get; }
    public string RowKey { get; }

    /// <summary>The opaque ETag the entity was read or written with; pass it back as If-Match.</summary>
    public string? ETag { get; set; }

    /// <summary>Server-maintained last-modified time (read only from the service).</summary>
    public DateTimeOffset? Timestamp { get; internal set; }

    public IReadOnlyDictionary<string, object> Properties => _properties;

    /// <summary>Gets a property (null when absent); setting null removes it.</summary>
    public object? this[string name]
    {
        get => _properties.GetValueOrDefault(name);
        set
        {
            if (value is null)
            {
                _properties.Remove(name);
            }
            else
            {
                Set(name, value);
            }
        }
    }

    /// <summary>Sets a property after checking its name and type; returns this for chaining.</summary>
    public TableEntity Set(string name, object value)
    {
        TableLimits.ValidatePropertyName(name);
        ArgumentNullException.ThrowIfNull(value);
        if (value is not (string or bool or int or long or double or byte[] or DateTimeOffset or Guid))
        {
            throw new ArgumentException(
                $"property '{name}' has type {value.GetType().Name}; supported: string, bool, int, long, double, byte[], DateTimeOffset, Guid",
                nameof(value));
        }
        _properties[name] = value;
        return this;
    }

    public bool Remove(string name) => _properties.Remove(name);

    public string? GetString(string name) => Get<string>(name);
    public byte[]? GetBinary(string name) => Get<byte[]>(name);
    public bool? GetBoolean(string name) => GetValue<bool>(name);
    public int? GetInt32(string name) => GetValue<int>(name);
    public long? GetInt64(string name) => GetValue<long>(name);
    public double? GetDouble(string name) => GetValue<double>(name);
    public DateTimeOffset? GetDateTimeOffset(string name) => GetValue<DateTimeOffset>(name);
    public Guid? GetGuid(string name) => GetValue<Guid>(name);

    public override string ToString() => $"TableEntity({PartitionKey}, {RowKey}, {_properties.Count} properties)";

    private T? Get<T>(string name) where T : class => _properties.TryGetValue(name, out var v) ? Cast<T>(name, v) : null;

    private T? GetValue<T>(string name) where T : struct => _properties.TryGetValue(name, out var v) ? Cast<T>(name, v) : null;

    private static T Cast<T>(string name, object value) => value is T t
        ? t
        : throw new InvalidCastException($"property '{name}' is {value.GetType().Name}, not {typeof(T).Name}");
}
