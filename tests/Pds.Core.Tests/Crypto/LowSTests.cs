using System.Numerics;
using Pds.Core.Crypto;

namespace Pds.Core.Tests.Crypto;

public class LowSTests
{
    public static TheoryData<KeyType> Curves => CryptoTestData.BothCurves;

    [Theory]
    [MemberData(nameof(Curves))]
    public void Normalize_BoundaryValues_FlipsOnlyAboveHalfOrder(KeyType type)
    {
        var n = CryptoTestData.Order(type);
        var half = n / 2;
        var r = n / 3;

        var atHalf = CryptoTestData.Compose(r, half);
        Assert.True(LowS.IsLow(type, atHalf));
        Assert.False(LowS.Normalize(type, atHalf));
        Assert.Equal(CryptoTestData.Compose(r, half), atHalf);

        var aboveHalf = CryptoTestData.Compose(r, half + 1);
        Assert.False(LowS.IsLow(type, aboveHalf));
        Assert.True(LowS.Normalize(type, aboveHalf));
        Assert.Equal(CryptoTestData.Compose(r, half), aboveHalf);

        var top = CryptoTestData.Compose(r, n - 1);
        Assert.True(LowS.Normalize(type, top));
        Assert.Equal(CryptoTestData.Compose(r, 1), top);
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void Normalize_SOutsideOrder_Throws(KeyType type)
    {
        var n = CryptoTestData.Order(type);
        Assert.Throws<CryptoFormatException>(() => LowS.Normalize(type, CryptoTestData.Compose(1, 0)));
        Assert.Throws<CryptoFormatException>(() => LowS.Normalize(type, CryptoTestData.Compose(1, n)));
        Assert.Throws<CryptoFormatException>(() => LowS.Normalize(type, CryptoTestData.Compose(1, n + 5)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(65)]
    [InlineData(72)]
    public void IsLowAndNormalize_NotSixtyFourBytes_Throw(int length)
    {
        Assert.Throws<CryptoFormatException>(() => LowS.IsLow(KeyType.Secp256k1, new byte[length]));
        Assert.Throws<CryptoFormatException>(() => LowS.Normalize(KeyType.P256, new byte[length]));
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void Normalize_HighSFromRealSignature_Verifies(KeyType type)
    {
        using var keypair = Keypair.Generate(type);
        var signature = keypair.Sign("normalise me"u8);
        var high = CryptoTestData.FlipS(type, signature);
        Assert.False(keypair.PublicKey.Verify("normalise me"u8, high));
        Assert.True(LowS.Normalize(type, high));
        Assert.Equal(signature, high);
        Assert.True(keypair.PublicKey.Verify("normalise me"u8, high));
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void Verify_ROrSOutOfRange_FalseWithoutThrowing(KeyType type)
    {
        using var keypair = Keypair.Generate(type);
        var n = CryptoTestData.Order(type);
        var s = CryptoTestData.Unsigned(keypair.Sign("m"u8).AsSpan(32));
        foreach (var (r, sv) in new[] { (n * 0, s), (n, s), (n + 1, s), (n - 1, n * 0), (BigInteger.One, n - 1) })
        {
            Assert.False(keypair.PublicKey.Verify("m"u8, CryptoTestData.Compose(r, sv)));
        }
    }
}
