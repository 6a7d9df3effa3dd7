using Pds.Core.Ipld;

namespace Pds.Core.DataModel;

public enum DataKind
{
    Null,
    Boolean,
    Integer,
    String,
    Bytes,
    Link,
    Array,
    Map,
}

/// <summary>
/// A value of the atproto data model (the IPLD subset atproto allows: no floats, no
/// tags but CID links, string map keys). Values are immutable and compare structurally.
/// </summary>
public abstract class DataValue : IEquatable<DataValue>
{
    public static readonly DataValue Null = new DataNull();
    public static readonly DataValue True = new DataBoolean(true);
    public static readonly DataValue False = new DataBoolean(false);

    private protected DataValue()
    {
    }

    public abstract DataKind Kind { get; }

    public static DataValue Of(bool value) => value ? True : False;
    public static DataValue Of(long value) => new DataInteger(value);
    public static DataValue Of(string value) => new DataString(value);
    public static DataValue Of(Cid value) => new DataLink(value);
    public static DataValue Of(byte[] value) => new DataBytes(value);

    public abstract bool Equals(DataValue? other);

    public override bool Equals(object? obj) => obj is DataValue v && Equals(v);

    public abstract override int GetHashCode();
}

public sealed class DataNull : DataValue
{
    internal DataNull()
    {
    }

    public override DataKind Kind => DataKind.Null;
    public override bool Equals(DataValue? other) => other is DataNull;
    public override int GetHashCode() => 0;
    public override string ToString() => "null";
}

public sealed class DataBoolean(bool value) : DataValue
{
    public bool Value { get; } = value;
    public override DataKind Kind => DataKind.Boolean;
    public override bool Equals(DataValue? other) => other is DataBoolean b && b.Value == Value;
    public override int GetHashCode() => Value ? 1 : 2;
}

public sealed class DataInteger(long value) : DataValue
{
    public long Value { get; } = value;
    public override DataKind Kind => DataKind.Integer;
    public override bool Equals(DataValue? other) => other is DataInteger i && i.Value == Value;
    public override int GetHashCode() => Value.GetHashCode();
}

public sealed class DataString(string value) : DataValue
{
    public string Value { get; } = value;
    public override DataKind Kind => DataKind.String;
    public override bool Equals(DataValue? other) => other is DataString s && string.Equals(s.Value, Value, StringComparison.Ordinal);
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);
}

public sealed class DataBytes(byte[] value) : DataValue
{
    public ReadOnlyMemory<byte> Value { get; } = value;
    public override DataKind Kind => DataKind.Bytes;
    public override bool Equals(DataValue? other) => other is DataBytes b && b.Value.Span.SequenceEqual(Value.Span);
    public override int GetHashCode() => Value.Length;
}

public sealed class DataLink(Cid cid) : DataValue
{
    public Cid Cid { get; } = cid;
    public override DataKind Kind => DataKind.Link;
    public override bool Equals(DataValue? other) => other is DataLink l && l.Cid.Equals(Cid);
    public override int GetHashCode() => Cid.GetHashCode();
}

public sealed class DataArray(IReadOnlyList<DataValue> items) : DataValue
{
    public static readonly DataArray Empty = new([]);

    public IReadOnlyList<DataValue> Items { get; } = items;
    public int Count => Items.Count;
    public DataValue this[int index] => Items[index];
    public override DataKind Kind => DataKind.Array;

    public override bool Equals(DataValue? other)
    {
        if (other is not DataArray a || a.Count != Count)
        {
            return false;
        }
        for (var i = 0; i < Count; i++)
        {
            if (!Items[i].Equals(a.Items[i]))
            {
                return false;
            }
        }
        return true;
    }

    public override int GetHashCode() => Count;
}
