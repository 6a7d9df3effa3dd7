using System.Buffers.Text;
using System.Text.Json;
using Pds.Core.Crypto;

namespace Pds.Azure.KeyVault;

/// <summary>The public half of a vault key (the "key" JWK of a KeyBundle).</summary>
public sealed class KeyVaultKey
{
    private readonly byte[]? _x;
    private readonly byte[]? _y;
    private readonly byte[]? _n;
    private readonly byte[]? _e;

    private KeyVaultKey(KeyVaultKeyId id, string keyType, string? curve, byte[]? x, byte[]? y, byte[]? n, byte[]? e, IReadOnlyList<string> keyOps)
    {
        Id = id;
        Kty = keyType;
        Curve = curve;
        _x = x;
        _y = y;
        _n = n;
        _e = e;
        KeyOps = keyOps;
    }

    public KeyVaultKeyId Id { get; }

    /// <summary>JWK "kty": EC, EC-HSM, RSA, RSA-HSM.</summary>
    public string Kty { get; }

    /// <summary>JWK "crv" for EC keys: P-256K or P-256.</summary>
    public string? Curve { get; }

    public IReadOnlyList<string> KeyOps { get; }

    public bool IsEc => Kty is "EC" or "EC-HSM";

    public bool IsRsa => Kty is "RSA" or "RSA-HSM";

    /// <summary>RSA modulus and exponent, big-endian.</summary>
    public ReadOnlySpan<byte> Modulus => _n;

    public ReadOnlySpan<byte> Exponent => _e;

    /// <summary>The atproto public key of an EC key; the point is checked to lie on the curve.</summary>
    public PublicKey ToPublicKey()
    {
        if (!IsEc || _x is null || _y is null)
        {
            throw new InvalidOperationException($"key {Id.Name} is not an EC key");
        }
        return PublicKey.FromXY(CurveToKeyType(Curve), _x, _y);
    }

    public static string KeyTypeToCurve(KeyType type) => type switch
    {
        KeyType.Secp256k1 => "P-256K",
        KeyType.P256 => "P-256",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown key type"),
    };

    public static KeyType CurveToKeyType(string? curve) => curve switch
    {
        // SECP256K1 is the name Key Vault used before it adopted the JOSE "P-256K".
        "P-256K" or "SECP256K1" => KeyType.Secp256k1,
        "P-256" => KeyType.P256,
        _ => throw new CryptoFormatException($"unsupported curve '{curve}'"),
    };

    /// <summary>Reads the "key" member of a KeyBundle; throws FormatException on a bad shape.</summary>
    internal static KeyVaultKey FromJwk(JsonElement jwk)
    {
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("key is not a JSON object");
        }
        var id = KeyVaultKeyId.Parse(RequiredString(jwk, "kid"));
        var kty = RequiredString(jwk, "kty");
        var ops = new List<string>();
        if (jwk.TryGetProperty("key_ops", out var opsElement) && opsElement.ValueKind == JsonValueKind.Array)
        {
            foreach (var op in opsElement.EnumerateArray())
            {
                ops.Add(op.GetString() ?? throw new FormatException("key_ops holds a non-string"));
            }
        }
        string? crv = null;
        byte[]? x = null, y = null, n = null, e = null;
        if (kty is "EC" or "EC-HSM")
        {
            crv = RequiredString(jwk, "crv");
            x = Coordinate(RequiredString(jwk, "x"));
            y = Coordinate(RequiredString(jwk, "y"));
        }
        else if (kty is "RSA" or "RSA-HSM")
        {
            n = Base64Url.DecodeFromChars(RequiredString(jwk, "n"));
            e = Base64Url.DecodeFromChars(RequiredString(jwk, "e"));
        }
        return new KeyVaultKey(id, kty, crv, x, y, n, e, ops);
    }

    private static string RequiredString(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"key has no string '{name}'");

    // JWK coordinates are fixed-width, but an encoder that drops leading zero bytes costs nothing to accept.
    private static byte[] Coordinate(string base64Url)
    {
        var raw = Base64Url.DecodeFromChars(base64Url);
        if (raw.Length == 32)
        {
            return raw;
        }
        if (raw.Length > 32)
        {
            throw new FormatException("EC coordinate longer than 32 bytes");
        }
        var padded = new byte[32];
        raw.CopyTo(padded.AsSpan(32 - raw.Length));
        return padded;
    }
}
