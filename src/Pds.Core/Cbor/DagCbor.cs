using Pds.Core.DataModel;
using Pds.Core.Ipld;

namespace Pds.Core.Cbor;

/// <summary>Encode and decode whole data-model values as canonical DAG-CBOR.</summary>
public static class DagCbor
{
    public static byte[] Encode(DataValue value)
    {
        var writer = new DagCborWriter();
        Write(writer, value);
        return writer.ToArray();
    }

    public static void Write(DagCborWriter writer, DataValue value)
    {
        switch (value)
        {
            case DataNull:
                writer.WriteNull();
                break;
            case DataBoolean b:
                writer.WriteBoolean(b.Value);
                break;
            case DataInteger i:
                writer.WriteInteger(i.Value);
                break;
            case DataString s:
                writer.WriteText(s.Value);
                break;
            case DataBytes bytes:
                writer.WriteBytes(bytes.Value.Span);
                break;
            case DataLink l:
                writer.WriteCid(l.Cid);
                break;
            case DataArray a:
                writer.WriteArrayHeader(a.Count);
                foreach (var item in a.Items)
                {
                    Write(writer, item);
                }
                break;
            case DataMap m:
                writer.WriteMapHeader(m.Count);
                foreach (var e in m.RawEntries)
                {
                    writer.WriteText(e.Utf8Key);
                    Write(writer, e.Value);
                }
                break;
            default:
                throw new ArgumentException("unknown data-model value", nameof(value));
        }
    }

    /// <summary>Decodes exactly one value; trailing bytes are an error.</summary>
    public static DataValue Decode(ReadOnlySpan<byte> bytes, int maxDepth = DagCborReader.DefaultMaxDepth)
    {
        var reader = new DagCborReader(bytes, maxDepth);
        var value = reader.ReadValue();
        reader.EnsureAtEnd();
        return value;
    }

    /// <summary>Decodes a value that must be a map (records, commits, MST nodes).</summary>
    public static DataMap DecodeMap(ReadOnlySpan<byte> bytes) =>
        Decode(bytes) as DataMap ?? throw new DagCborFormatException("expected a map at the top level", 0);

    /// <summary>The CID of a value's canonical encoding.</summary>
    public static Cid ComputeCid(DataValue value) => Cid.ForDagCbor(Encode(value));
}
