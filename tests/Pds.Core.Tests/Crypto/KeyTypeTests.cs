using Pds.Core.Crypto;

namespace Pds.Core.Tests.Crypto;

public class KeyTypeTests
{
    [Theory]
    [InlineData(KeyType.Secp256k1, "ES256K", "e701", "EcdsaSecp256k1VerificationKey2019")]
    [InlineData(KeyType.P256, "ES256", "8024", "EcdsaSecp256r1VerificationKey2019")]
    public void Helpers_EachCurve_ReturnProtocolNames(KeyType type, string alg, string prefixHex, string suite)
    {
        Assert.Equal(alg, type.JwtAlgorithm());
        Assert.Equal(type, KeyTypeExtensions.FromJwtAlgorithm(alg));
        Assert.Equal(prefixHex, Convert.ToHexString(type.MulticodecPrefix()).ToLowerInvariant());
        Assert.True(KeyTypeExtensions.TryFromMulticodecPrefix(Convert.FromHexString(prefixHex + "02"), out var parsed));
        Assert.Equal(type, parsed);
        Assert.Equal(suite, type.DidDocumentSuite());
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void CurveOrder_EachCurve_MatchesOpenSsl(KeyType type) =>
        Assert.Equal(CryptoTestData.Order(type), type.CurveOrder());

    [Theory]
    [InlineData("ES384")]
    [InlineData("es256k")]
    [InlineData("EdDSA")]
    [InlineData("")]
    public void FromJwtAlgorithm_Unsupported_Throws(string alg) =>
        Assert.Throws<CryptoFormatException>(() => KeyTypeExtensions.FromJwtAlgorithm(alg));

    [Fact]
    public void Helpers_UndefinedKeyType_ThrowArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((KeyType)7).JwtAlgorithm());
        Assert.False(KeyTypeExtensions.TryFromMulticodecPrefix([0xed, 0x01], out _));
    }

    public static TheoryData<KeyType> Curves => CryptoTestData.BothCurves;
}
