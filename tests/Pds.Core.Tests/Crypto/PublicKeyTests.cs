using System.Numerics;
using System.Security.Cryptography;
using Pds.Core.Crypto;
using Pds.Core.Ipld;

namespace Pds.Core.Tests.Crypto;

public class PublicKeyTests
{
    public static TheoryData<KeyType> Curves => CryptoTestData.BothCurves;

    [Theory]
    [MemberData(nameof(Curves))]
    public void FromCompressed_OpenSslKeys_DecompressesToSamePoint(KeyType type)
    {
        for (var i = 0; i < 40; i++)
        {
            using var keypair = Keypair.Generate(type);
            var key = PublicKey.FromCompressed(type, keypair.PublicKey.Compressed);
            Assert.Equal(keypair.PublicKey.ToUncompressed(), key.ToUncompressed());
            Assert.Equal(key, PublicKey.FromUncompressed(type, key.ToUncompressed()));
            Assert.Equal(key, PublicKey.FromXY(type, key.X, key.Y));
            Assert.Equal(key.Y[^1] % 2 == 0 ? 0x02 : 0x03, key.Compressed[0]);
        }
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void FromXY_OpenSslPoint_MatchesExportedParameters(KeyType type)
    {
        using var ecdsa = ECDsa.Create(CryptoTestData.NamedCurve(type));
        var q = ecdsa.ExportParameters(false).Q;
        var key = PublicKey.FromXY(type, q.X, q.Y);
        Assert.Equal(q.X, key.X.ToArray());
        Assert.Equal(q.Y, key.Y.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(32)]
    [InlineData(34)]
    [InlineData(65)]
    public void FromCompressed_WrongLength_Throws(int length) =>
        Assert.Throws<CryptoFormatException>(() => PublicKey.FromCompressed(KeyType.Secp256k1, new byte[length]));

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x01)]
    [InlineData(0x04)]
    [InlineData(0x06)]
    [InlineData(0xff)]
    public void FromCompressed_WrongPrefix_Throws(byte prefix)
    {
        using var keypair = Keypair.Generate(KeyType.P256);
        var bytes = keypair.PublicKey.ToCompressed();
        bytes[0] = prefix;
        Assert.Throws<CryptoFormatException>(() => PublicKey.FromCompressed(KeyType.P256, bytes));
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void FromCompressed_PointAtInfinity_Throws(KeyType type)
    {
        Assert.Throws<CryptoFormatException>(() => PublicKey.FromCompressed(type, [0x00]));
        Assert.Throws<CryptoFormatException>(() => PublicKey.FromCompressed(type, new byte[33]));
        Assert.Throws<CryptoFormatException>(() => PublicKey.FromUncompressed(type, new byte[65]));
        Assert.Throws<CryptoFormatException>(() => PublicKey.FromXY(type, new byte[32], new byte[32]));
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void FromCompressed_XWithoutSquareRoot_Throws(KeyType type)
    {
        var c = CryptoTestData.Explicit(type);
        var (p, a, b) = (CryptoTestData.Unsigned(c.Prime), CryptoTestData.Unsigned(c.A), CryptoTestData.Unsigned(c.B));
        var rejected = 0;
        for (var x = BigInteger.One; x < 60; x++)
        {
            var rhs = (x * x * x + a * x + b) % p;
            var isSquare = BigInteger.ModPow(rhs, (p - 1) / 2, p) <= 1;   // Euler's criterion
            byte[] point = [0x02, .. CryptoTestData.Field(x)];
            if (isSquare)
            {
                Assert.Equal(point, PublicKey.FromCompressed(type, point).ToCompressed());
                continue;
            }
            rejected++;
            Assert.Throws<CryptoFormatException>(() => PublicKey.FromCompressed(type, point));
            point[0] = 0x03;
            Assert.Throws<CryptoFormatException>(() => PublicKey.FromCompressed(type, point));
        }
        Assert.InRange(rejected, 10, 50);
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void FromCompressed_XNotBelowPrime_Throws(KeyType type)
    {
        var p = CryptoTestData.Unsigned(CryptoTestData.Explicit(type).Prime);
        foreach (var x in new[] { p, p + 1, BigInteger.Pow(2, 256) - 1 })
        {
            Assert.Throws<CryptoFormatException>(() => PublicKey.FromCompressed(type, [0x02, .. CryptoTestData.Field(x)]));
            Assert.Throws<CryptoFormatException>(() => PublicKey.FromCompressed(type, [0x03, .. CryptoTestData.Field(x)]));
        }
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void FromXY_OffCurveOrUnreducedOrShort_Throws(KeyType type)
    {
        using var keypair = Keypair.Generate(type);
        var key = keypair.PublicKey;
        var p = CryptoTestData.Unsigned(CryptoTestData.Explicit(type).Prime);
        var y = CryptoTestData.Unsigned(key.Y);
        Assert.Throws<CryptoFormatException>(() => PublicKey.FromXY(type, key.X, CryptoTestData.Field((y + 1) % p)));
        Assert.Throws<CryptoFormatException>(() => PublicKey.FromXY(type, key.X, key.Y[1..]));
        if (y + p < BigInteger.Pow(2, 256))
        {
            Assert.Throws<CryptoFormatException>(() => PublicKey.FromXY(type, key.X, CryptoTestData.Field(y + p)));
        }
        byte[] bad = [0x05, .. key.X, .. key.Y];
        Assert.Throws<CryptoFormatException>(() => PublicKey.FromUncompressed(type, bad));
    }

    [Fact]
    public void FromCompressed_K256PointOnOtherCurve_UsuallyRejected()
    {
        // The same 33 bytes name different points (or none) on the two curves.
        using var keypair = Keypair.Generate(KeyType.Secp256k1);
        var asP256 = Record.Exception(() => PublicKey.FromCompressed(KeyType.P256, keypair.PublicKey.Compressed));
        Assert.True(asP256 is null or CryptoFormatException);
        if (asP256 is null)
        {
            Assert.NotEqual(keypair.PublicKey, PublicKey.FromCompressed(KeyType.P256, keypair.PublicKey.Compressed));
        }
    }

    [Fact]
    public void Equals_SamePointDifferentInstances_EqualWithSameHash()
    {
        using var keypair = Keypair.Generate(KeyType.Secp256k1);
        using var other = Keypair.Generate(KeyType.Secp256k1);
        var a = keypair.PublicKey;
        var b = PublicKey.FromDidKey(a.ToDidKey());
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, other.PublicKey);
        Assert.True(a != other.PublicKey);
        Assert.False(a.Equals(null));
        Assert.Equal(a.ToDidKey(), a.ToString());
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void ToMultikey_RoundTrips_AndDidKeyIsPrefixed(KeyType type)
    {
        using var keypair = Keypair.Generate(type);
        var key = keypair.PublicKey;
        Assert.StartsWith(type == KeyType.Secp256k1 ? "zQ3s" : "zDna", key.ToMultikey());
        Assert.Equal("did:key:" + key.ToMultikey(), key.ToDidKey());
        Assert.Equal(key, PublicKey.FromMultikey(key.ToMultikey()));
        Assert.Equal(key, PublicKey.FromLegacyMultibase(type, key.ToLegacyMultibase()));
        Assert.Equal(key, PublicKey.FromLegacyMultibase(type, "z" + Base58.Encode(key.ToUncompressed())));
    }

    [Theory]
    [InlineData("")]
    [InlineData("did:key:")]
    [InlineData("did:key:z")]
    [InlineData("DID:KEY:zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc")]
    [InlineData("did:web:zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc")]
    [InlineData("did:key:Q3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc")]
    [InlineData("did:key:mQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc")]
    [InlineData("did:key:zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJw0")]
    [InlineData("did:key:zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJw")]
    [InlineData("did:key:zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwcc")]
    [InlineData(" did:key:zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc")]
    [InlineData("did:key:zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc ")]
    [InlineData("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")] // ed25519
    public void FromDidKey_Malformed_Throws(string didKey) =>
        Assert.Throws<CryptoFormatException>(() => PublicKey.FromDidKey(didKey));

    [Fact]
    public void FromDidKey_UncompressedPoint_Throws()
    {
        using var keypair = Keypair.Generate(KeyType.Secp256k1);
        var didKey = "did:key:z" + Base58.Encode([0xe7, 0x01, .. keypair.PublicKey.ToUncompressed()]);
        Assert.Throws<CryptoFormatException>(() => PublicKey.FromDidKey(didKey));
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void VerifyDigest_WrongDigestLength_ThrowsArgument(KeyType type)
    {
        using var keypair = Keypair.Generate(type);
        Assert.Throws<ArgumentException>(() => keypair.PublicKey.VerifyDigest(new byte[31], new byte[64]));
        Assert.Throws<ArgumentException>(() => keypair.SignDigest(new byte[33]));
    }
}
