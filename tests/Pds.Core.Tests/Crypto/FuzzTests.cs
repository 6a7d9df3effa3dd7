using Pds.Core.Crypto;
using Pds.Core.Ipld;

namespace Pds.Core.Tests.Crypto;

/// <summary>Seeded random input to every parser of untrusted keys: CryptoFormatException or a valid key, nothing else.</summary>
public class FuzzTests
{
    private const string Base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private const string Noise = Base58Alphabet + "0OIl:-_ %zé\0\u00a0";

    [Fact]
    public void FromDidKey_RandomAndMutatedStrings_OnlyCryptoFormatException()
    {
        var random = new Random(7);
        using var k256 = Keypair.Generate(KeyType.Secp256k1);
        using var p256 = Keypair.Generate(KeyType.P256);
        string[] seeds = [k256.PublicKey.ToDidKey(), p256.PublicKey.ToDidKey()];
        var accepted = 0;
        for (var i = 0; i < 3000; i++)
        {
            var input = (i % 3) switch
            {
                0 => "did:key:z" + RandomString(random, Base58Alphabet, random.Next(0, 60)),
                1 => Mutate(random, seeds[i % 2]),
                _ => RandomString(random, Noise, random.Next(0, 80)),
            };
            var key = Parse(() => PublicKey.FromDidKey(input));
            if (key is not null)
            {
                accepted++;
                Assert.Equal(input, key.ToDidKey());
            }
        }
        Assert.True(accepted > 0, "mutations of real keys should sometimes still be keys");
    }

    [Fact]
    public void FromCompressedAndUncompressed_RandomBytes_OnlyCryptoFormatException()
    {
        var random = new Random(11);
        var accepted = 0;
        for (var i = 0; i < 3000; i++)
        {
            var type = i % 2 == 0 ? KeyType.Secp256k1 : KeyType.P256;
            var bytes = new byte[i % 4 == 0 ? random.Next(0, 70) : PublicKey.CompressedLength];
            random.NextBytes(bytes);
            if (bytes.Length == PublicKey.CompressedLength && i % 4 != 3)
            {
                bytes[0] = (byte)(2 + random.Next(2));
            }
            var key = Parse(() => PublicKey.FromCompressed(type, bytes));
            if (key is not null)
            {
                accepted++;
                Assert.Equal(bytes, key.ToCompressed());
            }
            Parse(() => PublicKey.FromUncompressed(type, [0x04, .. bytes, .. bytes[..Math.Min(bytes.Length, 32)]]));
            Parse(() => PublicKey.FromLegacyMultibase(type, "z" + Base58.Encode(bytes)));
            Parse(() => PublicKey.FromMultikey("z" + Base58.Encode([.. type.MulticodecPrefix(), .. bytes])));
        }
        // About half of all x values lie on each curve.
        Assert.InRange(accepted, 600, 1600);
    }

    [Fact]
    public void VerifyAndNormalize_RandomSignatures_NeverThrowOnVerify()
    {
        var random = new Random(13);
        using var keypair = Keypair.Generate(KeyType.Secp256k1);
        for (var i = 0; i < 500; i++)
        {
            var signature = new byte[i % 5 == 0 ? random.Next(0, 100) : 64];
            random.NextBytes(signature);
            Assert.False(keypair.PublicKey.Verify("fuzz"u8, signature));
            try
            {
                LowS.Normalize(KeyType.Secp256k1, signature);
                Assert.True(LowS.IsLow(KeyType.Secp256k1, signature));
            }
            catch (CryptoFormatException)
            {
            }
        }
    }

    private static PublicKey? Parse(Func<PublicKey> parse)
    {
        try
        {
            return parse();
        }
        catch (CryptoFormatException)
        {
            return null;
        }
    }

    private static string RandomString(Random random, string alphabet, int length) =>
        new(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());

    private static string Mutate(Random random, string text)
    {
        var chars = text.ToCharArray();
        var at = random.Next(chars.Length);
        return random.Next(3) switch
        {
            0 => text[..at],
            1 => text + RandomString(random, Base58Alphabet, 1 + random.Next(3)),
            _ => new string(chars.Select((c, i) => i == at ? Base58Alphabet[random.Next(58)] : c).ToArray()),
        };
    }
}
