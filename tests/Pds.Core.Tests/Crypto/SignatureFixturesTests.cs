using System.Text.Json;
using Pds.Core.Crypto;
using Pds.Core.Tests.Interop;

namespace Pds.Core.Tests.Crypto;

/// <summary>crypto/signature-fixtures.json: key encodings and strict (low-S, compact-only) verification.</summary>
public class SignatureFixturesTests
{
    private const string File = "crypto/signature-fixtures.json";

    [InteropFact]
    public void Fixtures_File_HasEveryTagForBothCurves()
    {
        var cases = Cases().ToList();
        Assert.Equal(6, cases.Count);
        foreach (var alg in new[] { "ES256", "ES256K" })
        {
            Assert.Equal(["", "der-encoded", "high-s"], cases.Where(c => c.Algorithm == alg).Select(c => c.Tag).Order());
        }
    }

    [InteropFact]
    public void FromDidKey_Fixtures_EqualsLegacyMultibaseKey()
    {
        foreach (var c in Cases())
        {
            var key = PublicKey.FromDidKey(c.DidKey);
            var type = KeyTypeExtensions.FromJwtAlgorithm(c.Algorithm);
            Assert.Equal(type, key.KeyType);
            Assert.Equal(c.Suite, type.DidDocumentSuite());
            Assert.Equal(PublicKey.FromLegacyMultibase(type, c.Multibase), key);
            Assert.Equal(33, key.Compressed.Length);
        }
    }

    [InteropFact]
    public void ToDidKey_Fixtures_ReencodesExactly()
    {
        foreach (var c in Cases())
        {
            var key = PublicKey.FromDidKey(c.DidKey);
            Assert.Equal(c.DidKey, key.ToDidKey());
            Assert.Equal(c.DidKey, PublicKey.DidKeyPrefix + key.ToMultikey());
            Assert.Equal(c.Multibase, key.ToLegacyMultibase());
        }
    }

    [InteropFact]
    public void Verify_Fixtures_MatchesValidSignature()
    {
        foreach (var c in Cases())
        {
            var key = PublicKey.FromDidKey(c.DidKey);
            Assert.True(c.Valid == key.Verify(c.Message, c.Signature), c.Comment);
        }
    }

    [InteropFact]
    public void Normalize_HighSFixture_VerifiesAfterwards()
    {
        foreach (var c in Cases().Where(c => c.Tag == "high-s"))
        {
            var key = PublicKey.FromDidKey(c.DidKey);
            var signature = c.Signature.ToArray();
            Assert.False(LowS.IsLow(key.KeyType, signature));
            Assert.True(LowS.Normalize(key.KeyType, signature));
            Assert.True(key.Verify(c.Message, signature), c.Comment);
        }
    }

    [InteropFact]
    public void Verify_DerFixture_IsNotCompactLength()
    {
        foreach (var c in Cases().Where(c => c.Tag == "der-encoded"))
        {
            Assert.InRange(c.Signature.Length, 70, 72);
            Assert.Equal(0x30, c.Signature[0]);
        }
    }

    [InteropFact]
    public void Verify_CorruptedValidFixture_Fails()
    {
        foreach (var c in Cases().Where(c => c.Valid))
        {
            var key = PublicKey.FromDidKey(c.DidKey);
            for (var i = 0; i < c.Signature.Length; i++)
            {
                var signature = c.Signature.ToArray();
                signature[i] ^= (byte)(1 << (i % 8));
                Assert.False(key.Verify(c.Message, signature), $"{c.Comment}: byte {i}");
            }
            for (var i = 0; i < c.Message.Length; i++)
            {
                var message = c.Message.ToArray();
                message[i] ^= 0x01;
                Assert.False(key.Verify(message, c.Signature), $"{c.Comment}: message byte {i}");
            }
            Assert.False(key.Verify([.. c.Message, 0x00], c.Signature));
        }
    }

    private static IEnumerable<Fixture> Cases() =>
        InteropFiles.Json(File).EnumerateArray().Select(e => new Fixture(e));

    private sealed class Fixture(JsonElement e)
    {
        public string Comment { get; } = e.GetProperty("comment").GetString()!;
        public byte[] Message { get; } = CryptoTestData.Base64(e.GetProperty("messageBase64").GetString()!);
        public string Algorithm { get; } = e.GetProperty("algorithm").GetString()!;
        public string Suite { get; } = e.GetProperty("didDocSuite").GetString()!;
        public string DidKey { get; } = e.GetProperty("publicKeyDid").GetString()!;
        public string Multibase { get; } = e.GetProperty("publicKeyMultibase").GetString()!;
        public byte[] Signature { get; } = CryptoTestData.Base64(e.GetProperty("signatureBase64").GetString()!);
        public bool Valid { get; } = e.GetProperty("validSignature").GetBoolean();
        public string Tag { get; } = string.Concat(e.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }
}
