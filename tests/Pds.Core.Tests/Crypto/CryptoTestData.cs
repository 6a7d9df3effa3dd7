using System.Numerics;
using System.Security.Cryptography;
using Pds.Core.Crypto;

namespace Pds.Core.Tests.Crypto;

/// <summary>Small helpers shared by the crypto tests; curve numbers come from OpenSSL, not from the code under test.</summary>
internal static class CryptoTestData
{
    public static readonly KeyType[] KeyTypes = [KeyType.Secp256k1, KeyType.P256];

    public static TheoryData<KeyType> BothCurves => new(KeyTypes);

    /// <summary>Standard-alphabet base64 as the fixtures write it: no padding.</summary>
    public static byte[] Base64(string unpadded) =>
        Convert.FromBase64String(unpadded.PadRight((unpadded.Length + 3) / 4 * 4, '='));

    public static ECCurve NamedCurve(KeyType type) =>
        type == KeyType.P256 ? ECCurve.NamedCurves.nistP256 : ECCurve.CreateFromFriendlyName("secP256k1");

    public static ECCurve Explicit(KeyType type)
    {
        using var ecdsa = ECDsa.Create(NamedCurve(type));
        return ecdsa.ExportExplicitParameters(false).Curve;
    }

    public static BigInteger Order(KeyType type) => Unsigned(Explicit(type).Order!);

    public static BigInteger Unsigned(ReadOnlySpan<byte> bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);

    public static byte[] Field(BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        return [.. new byte[32 - bytes.Length], .. bytes];
    }

    /// <summary>The malleated twin (r, n - s) of a signature.</summary>
    public static byte[] FlipS(KeyType type, ReadOnlySpan<byte> signature)
    {
        var s = Unsigned(signature[32..]);
        return [.. signature[..32], .. Field(Order(type) - s)];
    }

    public static byte[] Compose(BigInteger r, BigInteger s) => [.. Field(r), .. Field(s)];

    /// <summary>OpenSSL parameters built from the public coordinates, to cross-check with plain ECDsa.</summary>
    public static ECParameters ToParametersForTest(this PublicKey key, byte[]? privateScalar = null) => new()
    {
        Curve = NamedCurve(key.KeyType),
        Q = new ECPoint { X = key.X.ToArray(), Y = key.Y.ToArray() },
        D = privateScalar,
    };
}
