using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Pds.Core.DataModel;
using Pds.Core.Ipld;

namespace Pds.Core.Identity;

/// <summary>Reading operations from a directory (JSON or data model) and writing their JSON form.</summary>
public sealed partial class PlcOperation
{
    /// <summary>Bound on the JSON of one operation; the directory's own limit on DAG-CBOR is far smaller.</summary>
    public const int MaxJsonLength = 64 * 1024;

    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 16, AllowDuplicateProperties = false };

    /// <summary>Parses the JSON form the directory serves and accepts.</summary>
    public static PlcOperation ParseJson(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Length > MaxJsonLength)
        {
            throw new PlcFormatException($"operation JSON is larger than {MaxJsonLength} bytes");
        }
        try
        {
            using var doc = JsonDocument.Parse(utf8Json.ToArray(), JsonOptions);
            return FromJson(doc.RootElement);
        }
        catch (JsonException e)
        {
            throw new PlcFormatException("operation is not valid JSON: " + e.Message, e);
        }
    }

    public static PlcOperation ParseJson(string json) => ParseJson(Encoding.UTF8.GetBytes(json));

    public static PlcOperation FromJson(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new PlcFormatException("operation must be a JSON object");
        }
        DataValue value;
        try
        {
            value = DataModelJson.FromJson(element);
        }
        catch (DataModelFormatException e)
        {
            throw new PlcFormatException("operation is not in the data model: " + e.Message, e);
        }
        return FromDataMap((DataMap)value);
    }

    /// <summary>
    /// Validates a data-model map as an operation (signed or not). Unknown fields are kept, since
    /// they are part of the signed bytes and the CID.
    /// </summary>
    public static PlcOperation FromDataMap(DataMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var type = RequiredString(map, "type");
        var sig = map.ContainsKey(SigKey) ? RequiredString(map, SigKey) : null;
        if (sig is not null && !IsCanonicalBase64Url(sig))
        {
            throw new PlcFormatException("sig must be unpadded base64url");
        }
        var fields = type switch
        {
            OperationType => RegularFields(map),
            TombstoneType => TombstoneFields(map),
            LegacyCreateType => LegacyFields(map),
            _ => throw new PlcFormatException($"unknown operation type '{type}'"),
        };
        return new PlcOperation(map, fields with { Type = type, Sig = sig });
    }

    public string ToJson() => Encoding.UTF8.GetString(ToJsonUtf8());

    /// <summary>The JSON object to POST to the directory (all values are strings, arrays, maps or null).</summary>
    public byte[] ToJsonUtf8()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            DataModelJson.Write(writer, _map);
        }
        return stream.ToArray();
    }

    private static Fields RegularFields(DataMap map)
    {
        var methods = RequiredMap(map, "verificationMethods")
            .Entries.ToDictionary(e => e.Key, e => AsString(e.Value, "verificationMethods." + e.Key), StringComparer.Ordinal);
        var services = RequiredMap(map, "services").Entries.ToDictionary(
            e => e.Key,
            e =>
            {
                var service = e.Value as DataMap ?? throw new PlcFormatException($"services.{e.Key} must be a map");
                return new PlcService(RequiredString(service, "type"), RequiredString(service, "endpoint"));
            },
            StringComparer.Ordinal);
        return new Fields
        {
            RotationKeys = RequiredStrings(map, "rotationKeys"),
            VerificationMethods = methods,
            AlsoKnownAs = RequiredStrings(map, "alsoKnownAs"),
            Services = services,
            Prev = OptionalPrev(map),
        };
    }

    private static Fields TombstoneFields(DataMap map) =>
        new() { Prev = OptionalPrev(map) ?? throw new PlcFormatException("a tombstone needs a prev") };

    /// <summary>The deprecated genesis format, normalised as the directory does.</summary>
    private static Fields LegacyFields(DataMap map)
    {
        var signingKey = RequiredString(map, "signingKey");
        var service = RequiredString(map, "service");
        var handle = RequiredString(map, "handle");
        if (OptionalPrev(map) is not null)
        {
            throw new PlcFormatException("a legacy create operation must have prev = null");
        }
        var endpoint = service.StartsWith("http://", StringComparison.Ordinal) ||
            service.StartsWith("https://", StringComparison.Ordinal) ? service : "https://" + service;
        var alias = handle.StartsWith(AtUriPrefix, StringComparison.Ordinal)
            ? handle
            : AtUriPrefix + handle.Replace("http://", "", StringComparison.Ordinal).Replace("https://", "", StringComparison.Ordinal);
        return new Fields
        {
            RotationKeys = [RequiredString(map, "recoveryKey"), signingKey],
            VerificationMethods = new Dictionary<string, string> { [AtprotoVerificationMethod] = signingKey },
            AlsoKnownAs = [alias],
            Services = new Dictionary<string, PlcService> { [AtprotoPdsService] = PlcService.AtprotoPds(endpoint) },
        };
    }

    /// <summary><c>prev</c> must be present: a CID string, or null.</summary>
    private static Cid? OptionalPrev(DataMap map)
    {
        switch (map["prev"])
        {
            case null:
                throw new PlcFormatException("prev is missing (genesis operations carry prev = null)");
            case DataNull:
                return null;
            case DataString s when Cid.TryParse(s.Value, out var cid, out var error):
                return cid.Codec == Multicodec.DagCbor && cid.IsSha256
                    ? cid
                    : throw new PlcFormatException("prev must be a dag-cbor sha2-256 CID");
            case DataString:
                throw new PlcFormatException("prev is not a valid CID string");
            default:
                throw new PlcFormatException("prev must be a CID string or null");
        }
    }

    private static string RequiredString(DataMap map, string key) =>
        AsString(map[key] ?? throw new PlcFormatException($"{key} is missing"), key);

    private static string AsString(DataValue value, string what) =>
        value is DataString s ? s.Value : throw new PlcFormatException($"{what} must be a string");

    private static DataMap RequiredMap(DataMap map, string key) =>
        map[key] as DataMap ?? throw new PlcFormatException($"{key} must be a map");

    private static string[] RequiredStrings(DataMap map, string key)
    {
        var array = map[key] as DataArray ?? throw new PlcFormatException($"{key} must be an array");
        return array.Items.Select((v, i) => AsString(v, $"{key}[{i}]")).ToArray();
    }

    private static bool IsCanonicalBase64Url(string text)
    {
        if (text.Length % 4 == 1 || !Base64Url.IsValid(text, out var length))
        {
            return false;
        }
        // IsValid tolerates padding and whitespace; the round trip admits only the bare form.
        var bytes = new byte[length];
        return Base64Url.TryDecodeFromChars(text, bytes, out var written) &&
            string.Equals(Base64Url.EncodeToString(bytes.AsSpan(0, written)), text, StringComparison.Ordinal);
    }

    private sealed record Fields
    {
        public string Type { get; init; } = "";
        public IReadOnlyList<string> RotationKeys { get; init; } = [];
        public IReadOnlyDictionary<string, string> VerificationMethods { get; init; } = new Dictionary<string, string>();
        public IReadOnlyList<string> AlsoKnownAs { get; init; } = [];
        public IReadOnlyDictionary<string, PlcService> Services { get; init; } = new Dictionary<string, PlcService>();
        public Cid? Prev { get; init; }
        public string? Sig { get; init; }
    }
}
