using System.Security.Cryptography;
using Pds.Core.Crypto;

namespace Pds.Core.Tests.Crypto;

public class KeypairTests
{
    public static TheoryData<KeyType> Curves => CryptoTestData.BothCurves;

    [Theory]
    [MemberData(nameof(Curves))]
    public void Sign_RandomMessages_VerifiesCompactAndLowS(KeyType type)
    {
        var random = new Random(20240601 + (int)type);
        using var keypair = Keypair.Generate(type);
        var verifier = PublicKey.FromDidKey(keypair.PublicKey.ToDidKey());
        for (var i = 0; i < 150; i++)
        {
            var message = new byte[random.Next(0, 300)];
            random.NextBytes(message);
            var signature = keypair.Sign(message);

            Assert.Equal(64, signature.Length);
            Assert.True(LowS.IsLow(type, signature));
            Assert.True(verifier.Verify(message, signature));
            Assert.True(verifier.VerifyDigest(SHA256.HashData(message), signature));
            Assert.False(verifier.Verify([.. message, 0x2a], signature));
        }
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void Sign_ManySignatures_NeedsNormalisationSometimes(KeyType type)
    {
        // Raw ECDSA is high-S about half the time; this shows normalisation was really exercised.
        using var keypair = Keypair.Generate(type);
        using var raw = ECDsa.Create(keypair.PublicKey.ToParametersForTest(keypair.ExportPrivateKey()));
        var high = Enumerable.Range(0, 40)
            .Select(i => raw.SignHash(SHA256.HashData(BitConverter.GetBytes(i)), DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            .Count(s => !LowS.IsLow(type, s));
        Assert.InRange(high, 1, 39);
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void Verify_HighSTwinOfValidSignature_Rejected(KeyType type)
    {
        using var keypair = Keypair.Generate(type);
        for (var i = 0; i < 10; i++)
        {
            var message = BitConverter.GetBytes(i);
            var signature = keypair.Sign(message);
            var twin = CryptoTestData.FlipS(type, signature);
            Assert.False(keypair.PublicKey.Verify(message, twin));
            // OpenSSL alone accepts the twin: atproto's rule, not the maths, rejects it.
            using var plain = ECDsa.Create(keypair.PublicKey.ToParametersForTest());
            Assert.True(plain.VerifyData(message, twin, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        }
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void Verify_DerEncodedValidSignature_Rejected(KeyType type)
    {
        using var keypair = Keypair.Generate(type);
        using var raw = ECDsa.Create(keypair.PublicKey.ToParametersForTest(keypair.ExportPrivateKey()));
        var message = "der is not atproto"u8.ToArray();
        var der = raw.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        Assert.True(raw.VerifyData(message, der, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Assert.False(keypair.PublicKey.Verify(message, der));
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void Sign_Output_VerifiesWithPlainOpenSsl(KeyType type)
    {
        using var keypair = Keypair.Generate(type);
        using var plain = ECDsa.Create(keypair.PublicKey.ToParametersForTest());
        var signature = keypair.Sign("interop"u8);
        Assert.True(plain.VerifyData("interop"u8, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void Import_ExportedScalar_SameKey(KeyType type)
    {
        using var keypair = Keypair.Generate(type);
        using var copy = Keypair.Import(type, keypair.ExportPrivateKey());
        Assert.Equal(keypair.PublicKey, copy.PublicKey);
        Assert.Equal(32, copy.ExportPrivateKey().Length);
        Assert.True(keypair.PublicKey.Verify("x"u8, copy.Sign("x"u8)));
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void Import_ScalarOutOfRange_Throws(KeyType type)
    {
        var n = CryptoTestData.Order(type);
        Assert.Throws<CryptoFormatException>(() => Keypair.Import(type, new byte[32]));
        Assert.Throws<CryptoFormatException>(() => Keypair.Import(type, CryptoTestData.Field(n)));
        Assert.Throws<CryptoFormatException>(() => Keypair.Import(type, Enumerable.Repeat((byte)0xff, 32).ToArray()));
        Assert.Throws<CryptoFormatException>(() => Keypair.Import(type, new byte[31]));
        Assert.Throws<CryptoFormatException>(() => Keypair.Import(type, new byte[33]));
        using var edge = Keypair.Import(type, CryptoTestData.Field(n - 1));
        Assert.True(edge.PublicKey.Verify("edge"u8, edge.Sign("edge"u8)));
    }

    [Fact]
    public void Dispose_ThenUse_ThrowsObjectDisposed()
    {
        var keypair = Keypair.Generate(KeyType.Secp256k1);
        var publicKey = keypair.PublicKey;
        keypair.Dispose();
        keypair.Dispose();
        Assert.Throws<ObjectDisposedException>(() => keypair.Sign("x"u8));
        Assert.Throws<ObjectDisposedException>(() => keypair.ExportPrivateKey());
        Assert.NotNull(publicKey.ToDidKey());
    }

    [Fact]
    public void Finalizer_UndisposedKeypairs_RunWithoutError()
    {
        for (var i = 0; i < 20; i++)
        {
            _ = Keypair.Generate(KeyType.P256).Sign("dropped"u8);
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var keypair = Keypair.Generate(KeyType.P256);
        Assert.True(keypair.PublicKey.Verify("kept"u8, keypair.Sign("kept"u8)));
    }

    [Fact]
    public void ToString_NeverShowsPrivateScalar()
    {
        using var keypair = Keypair.Generate(KeyType.Secp256k1);
        var secret = keypair.ExportPrivateKey();
        var text = keypair.ToString();
        Assert.Contains(keypair.PublicKey.ToDidKey(), text);
        Assert.DoesNotContain(Convert.ToHexString(secret), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(secret), text);
    }

    [Fact]
    public async Task SignAsync_AsISigner_VerifiesAndHonoursCancellation()
    {
        using var keypair = Keypair.Generate(KeyType.P256);
        ISigner signer = keypair;
        var signature = await signer.SignAsync("async"u8.ToArray(), CancellationToken.None);
        Assert.True(signer.PublicKey.Verify("async"u8, signature));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await signer.SignAsync("x"u8.ToArray(), cancelled.Token));
    }
}
