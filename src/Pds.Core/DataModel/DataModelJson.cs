using System.Text;
using System.Text.Json;
using Pds.Core.Ipld;

namespace Pds.Core.DataModel;

/// <summary>
/// The JSON form of the data model: <c>{"$link": cid}</c> for links, <c>{"$bytes": base64}</c>
/// for bytes, blobs as <c>{"$type":"blob","ref":{"$link"},"mimeType","size"}</c>, integers only.
/// </summary>
public static class DataModelJson
{
    public const int MaxDepth = 128;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    /// <summary>Parses UTF-8 JSON into a data-model value; records must be objects.</summary>
    public static DataValue Parse(ReadOnlySpan<byte> utf8Json, bool requireObject = true)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8Json.ToArray(), DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new DataModelFormatException("invalid JSON: " + e.Message);
        }
        using (doc)
        {
            return FromJson(doc.RootElement, requireObject);
        }
    }

    public static DataValue FromJson(JsonElement element, bool requireObject = true)
    {
        if (requireObject && element.ValueKind != JsonValueKind.Object)
        {
            throw new DataModelFormatException("top-level value must be an object");
        }
        return Convert(element, 0);
    }

    private static DataValue Convert(JsonElement e, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new DataModelFormatException($"nesting deeper than {MaxDepth}");
        }
        switch (e.ValueKind)
        {
            case JsonValueKind.Null:
                return DataValue.Null;
            case JsonValueKind.True:
                return DataValue.True;
            case JsonValueKind.False:
                return DataValue.False;
            case JsonValueKind.String:
                return new DataString(e.GetString()!);
            case JsonValueKind.Number:
                return new DataInteger(ReadInteger(e));
            case JsonValueKind.Array:
                {
                    var items = new List<DataValue>(e.GetArrayLength());
                    foreach (var item in e.EnumerateArray())
                    {
                        items.Add(Convert(item, depth + 1));
                    }
                    return items.Count == 0 ? DataArray.Empty : new DataArray(items);
                }
            case JsonValueKind.Object:
                return ConvertObject(e, depth);
            default:
                throw new DataModelFormatException($"unsupported JSON value kind {e.ValueKind}");
        }
    }

    private static long ReadInteger(JsonElement e)
    {
        if (e.TryGetInt64(out var l))
        {
            return l;
        }
        // "123.0" is an integer written with a fraction; real fractions are floats, which atproto forbids.
        if (e.TryGetDouble(out var d) && Math.Floor(d) == d && d >= long.MinValue && d < 9.2233720368547758E18)
        {
            return (long)d;
        }
        throw new DataModelFormatException($"number {e.GetRawText()} is not an integer in the signed 64-bit range");
    }

    private static DataValue ConvertObject(JsonElement e, int depth)
    {
        if (e.TryGetProperty("$link", out var link))
        {
            return ConvertLink(e, link);
        }
        if (e.TryGetProperty("$bytes", out var bytes))
        {
            if (bytes.ValueKind != JsonValueKind.String || CountProperties(e) != 1)
            {
                throw new DataModelFormatException("$bytes must be a lone string property");
            }
            return new DataBytes(DecodeBase64(bytes.GetString()!));
        }
        var pairs = new List<KeyValuePair<string, DataValue>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            if (!seen.Add(p.Name))
            {
                throw new DataModelFormatException($"duplicate key '{p.Name}'");
            }
            pairs.Add(new(p.Name, Convert(p.Value, depth + 1)));
        }
        var map = DataMap.Create(pairs);
        ValidateTyped(map);
        return map;
    }

    private static DataLink ConvertLink(JsonElement obj, JsonElement link)
    {
        if (link.ValueKind != JsonValueKind.String || CountProperties(obj) != 1)
        {
            throw new DataModelFormatException("$link must be a lone string property");
        }
        if (!Cid.TryParse(link.GetString(), out var cid, out var error))
        {
            throw new DataModelFormatException("$link is not a valid CID: " + error);
        }
        return new DataLink(cid);
    }

    /// <summary>$type, where present, is a non-empty string; blobs carry a link, a MIME type and a size.</summary>
    private static void ValidateTyped(DataMap map)
    {
        if (!map.TryGetValue("$type", out var type))
        {
            return;
        }
        if (type is not DataString { Value.Length: > 0 } typeName)
        {
            throw new DataModelFormatException("$type must be a non-empty string");
        }
        if (typeName.Value != "blob")
        {
            return;
        }
        if (map["ref"] is not DataLink)
        {
            throw new DataModelFormatException("blob ref must be a link");
        }
        if (map["mimeType"] is not DataString)
        {
            throw new DataModelFormatException("blob mimeType must be a string");
        }
        if (map["size"] is not DataInteger { Value: >= 0 })
        {
            throw new DataModelFormatException("blob size must be a non-negative integer");
        }
    }

    private static int CountProperties(JsonElement obj)
    {
        var n = 0;
        foreach (var _ in obj.EnumerateObject())
        {
            n++;
        }
        return n;
    }

    /// <summary>Standard base64, padding optional; trailing bits are not required to be zero.</summary>
    internal static byte[] DecodeBase64(string text)
    {
        var trimmed = text.TrimEnd('=');
        if (trimmed.Length % 4 == 1)
        {
            throw new DataModelFormatException("invalid base64 length in $bytes");
        }
        var padded = trimmed + new string('=', (4 - trimmed.Length % 4) % 4);
        try
        {
            return System.Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            throw new DataModelFormatException("invalid base64 in $bytes");
        }
    }

    public static string ToJsonString(DataValue value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, value);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(Utf8JsonWriter writer, DataValue value)
    {
        switch (value)
        {
            case DataNull:
                writer.WriteNullValue();
                break;
            case DataBoolean b:
                writer.WriteBooleanValue(b.Value);
                break;
            case DataInteger i:
                writer.WriteNumberValue(i.Value);
                break;
            case DataString s:
                writer.WriteStringValue(s.Value);
                break;
            case DataBytes bytes:
                writer.WriteStartObject();
                writer.WriteString("$bytes", System.Convert.ToBase64String(bytes.Value.Span).TrimEnd('='));
                writer.WriteEndObject();
                break;
            case DataLink l:
                writer.WriteStartObject();
                writer.WriteString("$link", l.Cid.ToString());
                writer.WriteEndObject();
                break;
            case DataArray a:
                writer.WriteStartArray();
                foreach (var item in a.Items)
                {
                    Write(writer, item);
                }
                writer.WriteEndArray();
                break;
            case DataMap m:
                writer.WriteStartObject();
                foreach (var (k, v) in m.Entries)
                {
                    writer.WritePropertyName(k);
                    Write(writer, v);
                }
                writer.WriteEndObject();
                break;
            default:
                throw new ArgumentException("unknown data-model value", nameof(value));
        }
    }
}
