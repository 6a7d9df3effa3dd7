using System.Globalization;
using System.Text.Json;

namespace Pds.Azure.Storage;

/// <summary>
/// Entities to and from the Table JSON format. Written compact on one line (Azurite's batch
/// parser needs that) with <c>@odata.type</c> annotations for every type JSON cannot infer;
/// read from minimalmetadata responses, where those annotations come back.
/// </summary>
internal static class TableEntityJson
{
    private const string TypeSuffix = "@odata.type";

    public static byte[] Serialize(TableEntity entity)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, entity);
        }
        return buffer.ToArray();
    }

    public static void Write(Utf8JsonWriter w, TableEntity entity)
    {
        w.WriteStartObject();
        w.WriteString("PartitionKey", entity.PartitionKey);
        w.WriteString("RowKey", entity.RowKey);
        foreach (var (name, value) in entity.Properties)
        {
            switch (value)
            {
                case string s:
                    w.WriteString(name, s);
                    break;
                case bool b:
                    w.WriteBoolean(name, b);
                    break;
                case int i:
                    w.WriteNumber(name, i);
                    break;
                case long l:
                    w.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                    w.WriteString(name + TypeSuffix, "Edm.Int64");
                    break;
                case double d:
                    // Annotated always: an integral double written as "2" would be stored as Int32.
                    if (double.IsFinite(d))
                    {
                        w.WriteNumber(name, d);
                    }
                    else
                    {
                        w.WriteString(name, double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                    }
                    w.WriteString(name + TypeSuffix, "Edm.Double");
                    break;
                case byte[] bytes:
                    w.WriteBase64String(name, bytes);
                    w.WriteString(name + TypeSuffix, "Edm.Binary");
                    break;
                case DateTimeOffset dt:
                    w.WriteString(name, FormatDateTime(dt));
                    w.WriteString(name + TypeSuffix, "Edm.DateTime");
                    break;
                case Guid g:
                    w.WriteString(name, g.ToString("D"));
                    w.WriteString(name + TypeSuffix, "Edm.Guid");
                    break;
                default:
                    throw new ArgumentException($"unsupported property type {value.GetType().Name}");
            }
        }
        w.WriteEndObject();
    }

    public static string FormatDateTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <param name="etag">The ETag response header, for point reads (query results carry odata.etag).</param>
    public static TableEntity Read(JsonElement obj, string? etag)
    {
        string? pk = null, rk = null;
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
        {
            if (p.Name.EndsWith(TypeSuffix, StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.String)
            {
                types[p.Name[..^TypeSuffix.Length]] = p.Value.GetString()!;
            }
            else if (p.Name == "PartitionKey")
            {
                pk = p.Value.GetString();
            }
            else if (p.Name == "RowKey")
            {
                rk = p.Value.GetString();
            }
            else if (p.Name == "odata.etag")
            {
                etag ??= p.Value.GetString();
            }
        }
        if (pk is null || rk is null)
        {
            throw new FormatException("table response entity without PartitionKey/RowKey (was $select used without the keys?)");
        }
        var entity = new TableEntity(pk, rk) { ETag = etag };
        foreach (var p in obj.EnumerateObject())
        {
            if (p.Name is "PartitionKey" or "RowKey" || p.Name.StartsWith("odata.", StringComparison.Ordinal) || p.Name.Contains('@', StringComparison.Ordinal)
                || p.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            var value = ReadValue(p.Name, p.Value, types.GetValueOrDefault(p.Name));
            if (p.Name == "Timestamp")
            {
                entity.Timestamp = value as DateTimeOffset? ?? ParseDateTime((string)value);
            }
            else
            {
                entity.Set(p.Name, value);
            }
        }
        return entity;
    }

    private static object ReadValue(string name, JsonElement v, string? type) => type switch
    {
        "Edm.Binary" => v.GetBytesFromBase64(),
        "Edm.Int64" => v.ValueKind == JsonValueKind.String ? long.Parse(v.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : v.GetInt64(),
        "Edm.Int32" => v.GetInt32(),
        "Edm.Double" => v.ValueKind == JsonValueKind.String ? ParseSpecialDouble(v.GetString()!) : v.GetDouble(),
        "Edm.DateTime" => ParseDateTime(v.GetString()!),
        "Edm.Guid" => Guid.Parse(v.GetString()!, CultureInfo.InvariantCulture),
        "Edm.Boolean" => v.GetBoolean(),
        "Edm.String" or null => v.ValueKind switch
        {
            JsonValueKind.String => v.GetString()!,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            // Azure and Azurite write doubles with a decimal point ("2.0"), which TryGetInt32 rejects.
            JsonValueKind.Number => v.TryGetInt32(out var i) ? (object)i : v.GetDouble(),
            _ => throw new FormatException($"table property '{name}' has an unsupported JSON value ({v.ValueKind})"),
        },
        _ => throw new FormatException($"table property '{name}' has unsupported type {type}"),
    };

    private static DateTimeOffset ParseDateTime(string s) =>
        DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static double ParseSpecialDouble(string s) => s switch
    {
        "NaN" => double.NaN,
        "Infinity" or "INF" => double.PositiveInfinity,
        "-Infinity" or "-INF" => double.NegativeInfinity,
        _ => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
