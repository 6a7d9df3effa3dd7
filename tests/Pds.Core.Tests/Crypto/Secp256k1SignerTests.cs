using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Pds.Core.Crypto;
using Pds.Core.Crypto.Secp256k1;
using Pds.Core.Tests.Interop;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Pds.Core.Tests.Crypto;

/// <summary>
/// The managed secp256k1 ECDSA signer: OpenSSL accepts what it signs, the output is low-S, and
/// RFC 6979 makes it equal, byte for byte, to BouncyCastle's independent implementation.
/// </summary>
public class Secp256k1SignerTests
{
    [Fact]
    public void Sign_RandomKeysAndDigests_VerifiesWithOpenSslAndIsLowS()
    {
        var random = new Random(31);
        for (var key = 0; key < 12; key++)
        {
            using var keypair = Keypair.Generate(KeyType.Secp256k1);
            using var openSsl = ECDsa.Create(keypair.PublicKey.ToParametersForTest());
            var scalar = keypair.ExportPrivateKey();
            for (var i = 0; i < 25; i++)
            {
                var digest = new byte[32];
                random.NextBytes(digest);
                var signature = Sign(scalar, digest);

                Assert.True(openSsl.VerifyHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
                Assert.True(LowS.IsLow(KeyType.Secp256k1, signature));
                Assert.True(keypair.PublicKey.VerifyDigest(digest, signature));
                digest[i] ^= 0x01;
                Assert.False(openSsl.VerifyHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
            }
        }
    }

    [Fact]
    public void Sign_RandomKeysAndDigests_EqualsBouncyCastleRfc6979AfterLowS()
    {
        var random = new Random(32);
        var curve = CustomNamedCurves.GetByName("secp256k1");
        var domain = new ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H);
        var n = CryptoTestData.Order(KeyType.Secp256k1);
        var highS = 0;
        for (var i = 0; i < 300; i++)
        {
            var scalar = CryptoTestData.Field(Secp256k1TestMath.Random(random, n - 1) + 1);
            var digest = new byte[32];
            random.NextBytes(digest);
            if (i % 10 == 0)
            {
                // Digests at or above n take the reduction in bits2octets and in z.
                digest = CryptoTestData.Field(n + Secp256k1TestMath.Random(random, (System.Numerics.BigInteger.One << 256) - n));
            }

            var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
            signer.Init(true, new ECPrivateKeyParameters(new BcBigInteger(1, scalar), domain));
            var rs = signer.GenerateSignature(digest);
            var (r, s) = (Unsigned(rs[0]), Unsigned(rs[1]));
            if (s > n >> 1)
            {
                s = n - s;
                highS++;
            }

            Assert.Equal(CryptoTestData.Compose(r, s), Sign(scalar, digest));
        }
        // About half of raw ECDSA signatures are high-S: the normalisation was really compared.
        Assert.InRange(highS, 100, 200);
    }

    [Fact]
    public void Rfc6979_FirstCandidate_EqualsBouncyCastle()
    {
        var random = new Random(33);
        var n = CryptoTestData.Order(KeyType.Secp256k1);
        for (var i = 0; i < 50; i++)
        {
            var scalar = CryptoTestData.Field(Secp256k1TestMath.Random(random, n - 1) + 1);
            var digest = new byte[32];
            random.NextBytes(digest);
            var calculator = new HMacDsaKCalculator(new Sha256Digest());
            calculator.Init(new BcBigInteger(1, CryptoTestData.Field(n)), new BcBigInteger(1, scalar), digest);

            var generator = new Secp256k1Signer.Rfc6979(new byte[Secp256k1Signer.Rfc6979.StateLength], scalar, Reduced(digest));
            Assert.Equal(Unsigned(calculator.NextK()), Secp256k1TestMath.Big(generator.Next()));
        }
    }

    [Fact]
    public void Rfc6979_LaterCandidates_ApplyTheRejectionUpdate()
    {
        // RFC 6979 3.2 step h.3, written out with plain HMAC calls: after a rejected k (out of
        // range, or r = 0 or s = 0), K = HMAC_K(V || 0x00) and V = HMAC_K(V) before the next V.
        var scalar = Convert.FromHexString("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721");
        var digest = SHA256.HashData("sample"u8);
        var reduced = CryptoTestData.Field(Secp256k1TestMath.Big(Reduced(digest)));
        var v = Enumerable.Repeat((byte)0x01, 32).ToArray();
        var k = new byte[32];
        k = HMACSHA256.HashData(k, Concat(v, [0x00], scalar, reduced));
        v = HMACSHA256.HashData(k, v);
        k = HMACSHA256.HashData(k, Concat(v, [0x01], scalar, reduced));
        v = HMACSHA256.HashData(k, v);
        var expected = new List<byte[]>();
        for (var i = 0; i < 3; i++)
        {
            v = HMACSHA256.HashData(k, v);
            expected.Add(v);
            k = HMACSHA256.HashData(k, Concat(v, [0x00]));
            v = HMACSHA256.HashData(k, v);
        }

        var generator = new Secp256k1Signer.Rfc6979(new byte[Secp256k1Signer.Rfc6979.StateLength], scalar, Reduced(digest));
        foreach (var candidate in expected)
        {
            Assert.Equal(CryptoTestData.Unsigned(candidate), Secp256k1TestMath.Big(generator.Next()));
        }
    }

    [Fact]
    public void SignDigest_Keypair_IsDeterministicLowSAndVerifies()
    {
        using var keypair = Keypair.Generate(KeyType.Secp256k1);
        var digest = SHA256.HashData("deterministic"u8);
        var first = keypair.SignDigest(digest);
        Assert.Equal(first, keypair.SignDigest(digest));
        Assert.Equal(first, Sign(keypair.ExportPrivateKey(), digest));
        Assert.True(LowS.IsLow(KeyType.Secp256k1, first));
        Assert.True(keypair.PublicKey.VerifyDigest(digest, first));
    }

    [Fact]
    public void SignDigest_DisposedKeypair_Throws()
    {
        var keypair = Keypair.Generate(KeyType.Secp256k1);
        keypair.Dispose();
        Assert.Throws<ObjectDisposedException>(() => keypair.SignDigest(new byte[32]));
    }

    [Fact]
    public void Sign_WrongLengths_Throw()
    {
        var key = new byte[32];
        key[31] = 1;
        Assert.Throws<ArgumentException>(() => Secp256k1Signer.Sign(key, new byte[31], new byte[64]));
        Assert.Throws<ArgumentException>(() => Secp256k1Signer.Sign(key[..31], new byte[32], new byte[64]));
        Assert.Throws<ArgumentException>(() => Secp256k1Signer.Sign(key, new byte[32], new byte[63]));
    }

    [Fact]
    public void Sign_KeyOutsideOneToNMinusOne_Throws()
    {
        // d = 0 with a zero digest would make every s zero and the retry loop endless, so keys
        // are refused up front. A nonzero digest here keeps this test from hanging if the
        // check were ever lost: it would then return a signature and fail instead.
        var n = CryptoTestData.Order(KeyType.Secp256k1);
        var digest = Enumerable.Repeat((byte)0x01, 32).ToArray();
        foreach (var d in new[] { System.Numerics.BigInteger.Zero, n, n + 1, (System.Numerics.BigInteger.One << 256) - 1 })
        {
            Assert.Throws<ArgumentException>(() => Secp256k1Signer.Sign(CryptoTestData.Field(d), digest, new byte[64]));
        }
    }

    [Fact]
    public void Sign_EdgeKeys_VerifyWithOpenSsl()
    {
        var n = CryptoTestData.Order(KeyType.Secp256k1);
        foreach (var d in new[] { System.Numerics.BigInteger.One, 2, n - 1, n >> 1 })
        {
            var scalar = CryptoTestData.Field(d);
            using var keypair = Keypair.Import(KeyType.Secp256k1, scalar);
            using var openSsl = ECDsa.Create(keypair.PublicKey.ToParametersForTest());
            foreach (var digest in new[] { new byte[32], Enumerable.Repeat((byte)0xFF, 32).ToArray(), SHA256.HashData(scalar) })
            {
                var signature = keypair.SignDigest(digest);
                Assert.True(openSsl.VerifyHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
                Assert.True(LowS.IsLow(KeyType.Secp256k1, signature));
            }
        }
    }

    [InteropFact]
    public void Sign_W3cK256Vectors_VerifyWithDidKeyAndDerivePublicKey()
    {
        var count = 0;
        foreach (var vector in InteropFiles.Json("crypto/w3c_didkey_K256.json").EnumerateArray())
        {
            var scalar = Convert.FromHexString(vector.GetProperty("privateKeyBytesHex").GetString()!);
            var key = PublicKey.FromDidKey(vector.GetProperty("publicDidKey").GetString()!);

            // The managed k*G gives the published public key.
            var point = Generator.Multiply(U256.FromBigEndian(scalar)).ToAffine();
            Assert.Equal(CryptoTestData.Unsigned(key.X), Secp256k1TestMath.Big(point.X));
            Assert.Equal(CryptoTestData.Unsigned(key.Y), Secp256k1TestMath.Big(point.Y));

            foreach (var message in new[] { "hello"u8.ToArray(), Array.Empty<byte>(), new byte[1000] })
            {
                var digest = SHA256.HashData(message);
                var signature = Sign(scalar, digest);
                Assert.True(key.Verify(message, signature));
                Assert.True(key.VerifyDigest(digest, signature));
            }
            count++;
        }
        Assert.Equal(5, count);
    }

    private static byte[] Sign(byte[] scalar, byte[] digest)
    {
        var signature = new byte[Secp256k1Signer.SignatureLength];
        Secp256k1Signer.Sign(scalar, digest, signature);
        return signature;
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static U256 Reduced(byte[] digest) => ModN.Reduce(U256.FromBigEndian(digest));

    private static System.Numerics.BigInteger Unsigned(BcBigInteger value) => CryptoTestData.Unsigned(value.ToByteArrayUnsigned());
}
