using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pds.Core.Crypto;

namespace Pds.Core.Auth;

/// <summary>
/// Compact JWTs: HS256 for the PDS's own session tokens, ES256K/ES256 for service auth
/// (signed with an account's repo key). Validation is strict about shape and algorithm.
/// </summary>
public static class Jwt
{
    public const int MaxTokenLength = 8 * 1024;

    public static string SignHs256(string typ, JsonObject payload, ReadOnlySpan<byte> secret)
    {
        var signingInput = SigningInput(new JsonObject { ["typ"] = typ, ["alg"] = "HS256" }, payload);
        var mac = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(mac);
    }

    public static async Task<string> SignAsync(ISigner signer, string typ, JsonObject payload, CancellationToken ct = default)
    {
        var header = new JsonObject { ["typ"] = typ, ["alg"] = signer.PublicKey.JwtAlgorithm };
        var signingInput = SigningInput(header, payload);
        var sig = await signer.SignAsync(Encoding.ASCII.GetBytes(signingInput), ct).ConfigureAwait(false);
        return signingInput + "." + Base64Url.EncodeToString(sig);
    }

    /// <summary>Decodes without checking the signature (to find the issuer of a service-auth token).</summary>
    public static bool TryDecode(string token, out JwtParts parts, out string error)
    {
        parts = default;
        if (token.Length > MaxTokenLength)
        {
            error = "token too long";
            return false;
        }
        var segments = token.Split('.');
        if (segments.Length != 3)
        {
            error = "malformed token";
            return false;
        }
        try
        {
            var header = JsonNode.Parse(Base64Url.DecodeFromChars(segments[0])) as JsonObject;
            var payload = JsonNode.Parse(Base64Url.DecodeFromChars(segments[1])) as JsonObject;
            var sig = Base64Url.DecodeFromChars(segments[2]);
            if (header is null || payload is null || header["alg"]?.GetValueKind() != JsonValueKind.String)
            {
                error = "malformed token";
                return false;
            }
            parts = new JwtParts(header, payload, sig, Encoding.ASCII.GetBytes(segments[0] + "." + segments[1]));
            error = "";
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            error = "malformed token";
            return false;
        }
    }

    public static bool TryValidateHs256(string token, ReadOnlySpan<byte> secret, out JwtParts parts, out string error)
    {
        if (!TryDecode(token, out parts, out error))
        {
            return false;
        }
        if ((string?)parts.Header["alg"] != "HS256")
        {
            error = "unexpected algorithm";
            return false;
        }
        var expected = HMACSHA256.HashData(secret, parts.SigningInput);
        if (!CryptographicOperations.FixedTimeEquals(expected, parts.Signature))
        {
            error = "bad token signature";
            return false;
        }
        return true;
    }

    public static bool VerifySignature(JwtParts parts, PublicKey key) =>
        (string?)parts.Header["alg"] == key.JwtAlgorithm && key.Verify(parts.SigningInput, parts.Signature);

    // "at+jwt" must stay literal: the default encoder would write the '+' as \u002B.
    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string SigningInput(JsonObject header, JsonObject payload) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString(Compact))) + "." +
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString(Compact)));
}

public readonly record struct JwtParts(JsonObject Header, JsonObject Payload, byte[] Signature, byte[] SigningInput)
{
    public string? Typ => (string?)Header["typ"];
    public string? Subject => Payload["sub"]?.GetValueKind() == JsonValueKind.String ? (string?)Payload["sub"] : null;
    public long? ExpiresAt => Payload["exp"]?.GetValueKind() == JsonValueKind.Number ? (long?)Payload["exp"] : null;

    public string? Claim(string name) => Payload[name]?.GetValueKind() == JsonValueKind.String ? (string?)Payload[name] : null;
}
