using Pds.Core.Crypto;
using Pds.Core.Ipld;
using Pds.Core.Tests.Interop;

namespace Pds.Core.Tests.Crypto;

/// <summary>crypto/w3c_didkey_*.json: private scalar to did:key, and back.</summary>
public class W3cDidKeyTests
{
    [InteropFact]
    public void Import_K256Vectors_DidKeyMatches() =>
        AssertVectors("crypto/w3c_didkey_K256.json", KeyType.Secp256k1, "privateKeyBytesHex", Convert.FromHexString, expected: 5);

    [InteropFact]
    public void Import_P256Vectors_DidKeyMatches() =>
        AssertVectors("crypto/w3c_didkey_P256.json", KeyType.P256, "privateKeyBytesBase58", DecodeBase58, expected: 1);

    private static byte[] DecodeBase58(string text) =>
        Base58.TryDecode(text, out var bytes) ? bytes : throw new FormatException(text);

    private static void AssertVectors(string file, KeyType type, string privateField, Func<string, byte[]> decode, int expected)
    {
        var count = 0;
        foreach (var vector in InteropFiles.Json(file).EnumerateArray())
        {
            var scalar = decode(vector.GetProperty(privateField).GetString()!);
            var didKey = vector.GetProperty("publicDidKey").GetString()!;
            using var keypair = Keypair.Import(type, scalar);

            Assert.Equal(didKey, keypair.PublicKey.ToDidKey());
            var parsed = PublicKey.FromDidKey(didKey);
            Assert.Equal(keypair.PublicKey, parsed);
            Assert.Equal(type, parsed.KeyType);
            Assert.Equal(scalar, keypair.ExportPrivateKey());
            Assert.True(parsed.Verify("hello"u8, keypair.Sign("hello"u8)));
            count++;
        }
        Assert.Equal(expected, count);
    }
}
