using System.Numerics;

namespace Pds.Core.Crypto;

/// <summary>Protocol names and constants per key type.</summary>
public static class KeyTypeExtensions
{
    private static readonly byte[] Secp256k1Prefix = [0xe7, 0x01];
    private static readonly byte[] P256Prefix = [0x80, 0x24];

    /// <summary>The JOSE "alg" for this curve with SHA-256.</summary>
    public static string JwtAlgorithm(this KeyType type) => type switch
    {
        KeyType.Secp256k1 => "ES256K",
        KeyType.P256 => "ES256",
        _ => throw Unknown(type),
    };

    /// <summary>
    /// The verification-method type of legacy atproto DID documents; current ones use "Multikey"
    /// and carry the curve in the multicodec prefix instead.
    /// </summary>
    public static string DidDocumentSuite(this KeyType type) => type switch
    {
        KeyType.Secp256k1 => "EcdsaSecp256k1VerificationKey2019",
        KeyType.P256 => "EcdsaSecp256r1VerificationKey2019",
        _ => throw Unknown(type),
    };

    /// <summary>The varint multicodec prefix (secp256k1-pub 0xe7, p256-pub 0x1200) of did:key and Multikey.</summary>
    public static ReadOnlySpan<byte> MulticodecPrefix(this KeyType type) => type switch
    {
        KeyType.Secp256k1 => Secp256k1Prefix,
        KeyType.P256 => P256Prefix,
        _ => throw Unknown(type),
    };

    public static BigInteger CurveOrder(this KeyType type) => Curve.For(type).N;

    public static KeyType FromJwtAlgorithm(string alg) => alg switch
    {
        "ES256K" => KeyType.Secp256k1,
        "ES256" => KeyType.P256,
        _ => throw new CryptoFormatException($"unsupported JWT algorithm '{alg}'"),
    };

    public static bool TryFromMulticodecPrefix(ReadOnlySpan<byte> prefixed, out KeyType type)
    {
        foreach (var candidate in (ReadOnlySpan<KeyType>)[KeyType.Secp256k1, KeyType.P256])
        {
            if (prefixed.StartsWith(candidate.MulticodecPrefix()))
            {
                type = candidate;
                return true;
            }
        }
        type = default;
        return false;
    }

    internal static ArgumentOutOfRangeException Unknown(KeyType type) =>
        new(nameof(type), type, "unknown key type");
}
