using System.Text;
using System.Text.Json;
using Pds.Core.Crypto;
using Pds.Core.Syntax;

namespace Pds.Core.Identity;

/// <summary>Reading a DID document from untrusted JSON, and building the ones this PDS serves.</summary>
public sealed partial class DidDocument
{
    /// <summary>Documents are a few hundred bytes; anything near this bound is abuse.</summary>
    public const int MaxJsonLength = 64 * 1024;
    public const int MaxEntries = 64;

    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 16, AllowDuplicateProperties = false };

    private static readonly string[] BaseContext =
        ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"];

    /// <summary>
    /// Parses a document. The shape must hold (an object, a DID <c>id</c>, arrays where the spec
    /// has arrays, string aliases); entries atproto cannot use (non-string endpoints, unknown key
    /// types) are kept or skipped rather than failing the whole document.
    /// </summary>
    public static DidDocument Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Length > MaxJsonLength)
        {
            throw new DidDocumentFormatException($"DID document is larger than {MaxJsonLength} bytes");
        }
        try
        {
            using var doc = JsonDocument.Parse(utf8Json.ToArray(), JsonOptions);
            return FromJson(doc.RootElement);
        }
        catch (JsonException e)
        {
            throw new DidDocumentFormatException("DID document is not valid JSON: " + e.Message, e);
        }
    }

    public static DidDocument Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    public static bool TryParse(ReadOnlySpan<byte> utf8Json, out DidDocument? document)
    {
        try
        {
            document = Parse(utf8Json);
            return true;
        }
        catch (DidDocumentFormatException)
        {
            document = null;
            return false;
        }
    }

    public static DidDocument FromJson(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new DidDocumentFormatException("DID document must be a JSON object");
        }
        if (!root.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String ||
            !Did.TryParse(idElement.GetString(), out var id))
        {
            throw new DidDocumentFormatException("DID document id must be a DID");
        }
        var aliases = Array(root, "alsoKnownAs").Select(e => e.ValueKind == JsonValueKind.String
            ? e.GetString()!
            : throw new DidDocumentFormatException("alsoKnownAs entries must be strings")).ToArray();
        var methods = new List<DidVerificationMethod>();
        foreach (var e in Array(root, "verificationMethod"))
        {
            // DID Core also allows bare references (strings) here; atproto keys are always embedded.
            if (e.ValueKind == JsonValueKind.Object && String(e, "id") is { } methodId)
            {
                methods.Add(new DidVerificationMethod(methodId, String(e, "type"), String(e, "controller"), String(e, "publicKeyMultibase")));
            }
        }
        var services = new List<DidService>();
        foreach (var e in Array(root, "service"))
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                throw new DidDocumentFormatException("service entries must be objects");
            }
            // Endpoints may be maps or sets in DID Core; atproto services use a single URL string.
            if (String(e, "id") is { } serviceId && String(e, "type") is { } type && String(e, "serviceEndpoint") is { } endpoint)
            {
                services.Add(new DidService(serviceId, type, endpoint));
            }
        }
        return new DidDocument(id, aliases, methods, services);
    }

    /// <summary>
    /// The document of an atproto account: a handle alias, the <c>#atproto</c> Multikey and the
    /// <c>#atproto_pds</c> service (e.g. what a did:web account serves at /.well-known/did.json).
    /// </summary>
    public static DidDocument CreateAtproto(Did did, Handle? handle, PublicKey signingKey, string pdsEndpoint)
    {
        ArgumentNullException.ThrowIfNull(did);
        ArgumentNullException.ThrowIfNull(signingKey);
        ArgumentException.ThrowIfNullOrEmpty(pdsEndpoint);
        return new DidDocument(
            did,
            handle is null ? [] : [AtUriPrefix + handle],
            [new DidVerificationMethod($"{did}#{AtprotoKeyFragment}", DidVerificationMethod.MultikeyType, did.ToString(), signingKey.ToMultikey())],
            [new DidService("#" + AtprotoPdsFragment, AtprotoPdsType, pdsEndpoint)]);
    }

    /// <summary>The document a did:plc operation describes, as a directory renders it (keys as Multikey).</summary>
    public static DidDocument FromPlcOperation(Did did, PlcOperation operation)
    {
        ArgumentNullException.ThrowIfNull(did);
        ArgumentNullException.ThrowIfNull(operation);
        if (operation.IsTombstone)
        {
            throw new ArgumentException("a tombstoned DID has no document", nameof(operation));
        }
        var methods = operation.VerificationMethods.Select(m => new DidVerificationMethod(
            $"{did}#{m.Key}", DidVerificationMethod.MultikeyType, did.ToString(), PublicKey.FromDidKey(m.Value).ToMultikey()));
        var services = operation.Services.Select(s => new DidService("#" + s.Key, s.Value.Type, s.Value.Endpoint));
        return new DidDocument(did, operation.AlsoKnownAs, methods.ToArray(), services.ToArray());
    }

    public string ToJson() => Encoding.UTF8.GetString(ToJsonUtf8());

    public byte[] ToJsonUtf8()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteStartArray("@context");
            foreach (var context in Contexts())
            {
                w.WriteStringValue(context);
            }
            w.WriteEndArray();
            w.WriteString("id", Id.ToString());
            w.WriteStartArray("alsoKnownAs");
            foreach (var alias in AlsoKnownAs)
            {
                w.WriteStringValue(alias);
            }
            w.WriteEndArray();
            w.WriteStartArray("verificationMethod");
            foreach (var m in VerificationMethods)
            {
                w.WriteStartObject();
                w.WriteString("id", m.Id);
                WriteOptional(w, "type", m.Type);
                WriteOptional(w, "controller", m.Controller);
                WriteOptional(w, "publicKeyMultibase", m.PublicKeyMultibase);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("service");
            foreach (var s in Services)
            {
                w.WriteStartObject();
                w.WriteString("id", s.Id);
                w.WriteString("type", s.Type);
                w.WriteString("serviceEndpoint", s.Endpoint);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    private IEnumerable<string> Contexts()
    {
        var contexts = new List<string>(BaseContext);
        if (VerificationMethods.Any(m => m.Type == KeyType.Secp256k1.DidDocumentSuite()))
        {
            contexts.Add("https://w3id.org/security/suites/secp256k1-2019/v1");
        }
        if (VerificationMethods.Any(m => m.Type == KeyType.P256.DidDocumentSuite()))
        {
            contexts.Add("https://w3id.org/security/suites/ecdsa-2019/v1");
        }
        return contexts;
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    /// <summary>The elements of an optional array property; absent or null means none.</summary>
    private static List<JsonElement> Array(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new DidDocumentFormatException($"{name} must be an array");
        }
        if (value.GetArrayLength() > MaxEntries)
        {
            throw new DidDocumentFormatException($"{name} has more than {MaxEntries} entries");
        }
        return value.EnumerateArray().ToList();
    }

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
