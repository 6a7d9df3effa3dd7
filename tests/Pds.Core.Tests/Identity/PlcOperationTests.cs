using System.Security.Cryptography;
using System.Text;
using Pds.Core.Cbor;
using Pds.Core.Crypto;
using Pds.Core.DataModel;
using Pds.Core.Identity;
using Pds.Core.Ipld;
using Pds.Core.Syntax;
using Pds.Core.Tests.Crypto;
using static Pds.Core.Tests.Identity.IdentityTestData;

namespace Pds.Core.Tests.Identity;

public class PlcOperationTests
{
    [Fact]
    public void DeriveDid_FixedGenesis_MatchesHandWrittenCborAndSpecFormula()
    {
        using var rotation = FixedKey(KeyType.Secp256k1, 1);
        using var signing = FixedKey(KeyType.P256, 2);
        var signature = Enumerable.Repeat((byte)0x01, 64).ToArray();
        var op = PlcOperation.CreateAtproto(signing.PublicKey, Handle.Parse("alice.example.com"), PdsUrl, [rotation.PublicKey])
            .WithSignature(signature);

        // The spec's operation, written out as DAG-CBOR by hand: keys sorted by length, then bytewise.
        var sig = Convert.ToBase64String(signature).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var expected = new TinyCbor()
            .Map(7)
            .Text("sig").Text(sig)
            .Text("prev").Null()
            .Text("type").Text("plc_operation")
            .Text("services").Map(1).Text("atproto_pds").Map(2)
                .Text("type").Text("AtprotoPersonalDataServer")
                .Text("endpoint").Text(PdsUrl)
            .Text("alsoKnownAs").Array(1).Text("at://alice.example.com")
            .Text("rotationKeys").Array(1).Text(rotation.PublicKey.ToDidKey())
            .Text("verificationMethods").Map(1).Text("atproto").Text(signing.PublicKey.ToDidKey())
            .ToArray();
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(op.Encode()));

        // did:plc:${base32(sha256(signed genesis)).slice(0, 24)}
        var did = "did:plc:" + LowerBase32(SHA256.HashData(expected))[..24];
        Assert.Equal(did, PlcOperation.DeriveDid(op).ToString());
        Assert.Equal(32, did.Length);
    }

    [Fact]
    public void EncodeUnsigned_OmitsSigAndKeepsNullPrev()
    {
        using var rotation = FixedKey(KeyType.Secp256k1, 3);
        var op = PlcOperation.CreateAtproto(rotation.PublicKey, Handle.Parse("bob.example.com"), PdsUrl, [rotation.PublicKey]);
        var map = DagCbor.DecodeMap(op.EncodeUnsigned());
        Assert.False(map.ContainsKey("sig"));
        Assert.IsType<DataNull>(map["prev"]);
        Assert.Equal(["prev", "type", "services", "alsoKnownAs", "rotationKeys", "verificationMethods"], map.Keys.ToArray());
        Assert.False(op.IsSigned);
        Assert.Throws<InvalidOperationException>(() => op.Cid);
    }

    [Theory]
    [InlineData(KeyType.Secp256k1)]
    [InlineData(KeyType.P256)]
    public async Task SignAsync_RotationKey_VerifiesOnlyWithThatKey(KeyType type)
    {
        using var rotation = Keypair.Generate(type);
        using var other = Keypair.Generate(type);
        using var signing = Keypair.Generate(KeyType.Secp256k1);
        var op = await SignedGenesisAsync(rotation, signing.PublicKey);

        Assert.True(op.IsSigned);
        Assert.Equal(86, op.Signature!.Length);
        Assert.DoesNotContain('=', op.Signature);
        Assert.True(op.VerifySignature(rotation.PublicKey));
        Assert.False(op.VerifySignature(other.PublicKey));
        Assert.False(op.VerifySignature(signing.PublicKey));
        Assert.Equal(rotation.PublicKey.ToDidKey(), op.FindSigner([other.PublicKey.ToDidKey(), "did:key:bogus", rotation.PublicKey.ToDidKey()]));
        Assert.Null(op.FindSigner([other.PublicKey.ToDidKey()]));
        Assert.Equal(DagCbor.Encode(DagCbor.DecodeMap(op.Encode())), op.Encode().ToArray());
        Assert.Equal(Cid.ForDagCbor(op.Encode()), op.Cid);
    }

    [Fact]
    public async Task SignAsync_GenesisWithForeignKey_Throws()
    {
        using var rotation = Keypair.Generate(KeyType.Secp256k1);
        using var other = Keypair.Generate(KeyType.Secp256k1);
        var op = PlcOperation.CreateAtproto(rotation.PublicKey, Handle.Parse("a.example.com"), PdsUrl, [rotation.PublicKey]);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await op.SignAsync(other, CancellationToken.None));
    }

    [Fact]
    public async Task VerifySignature_HighSOrTamperedOperation_False()
    {
        using var rotation = Keypair.Generate(KeyType.Secp256k1);
        var op = await SignedGenesisAsync(rotation, rotation.PublicKey);
        var sig = Base64UrlDecode(op.Signature!);

        var malleated = op.WithSignature(CryptoTestData.FlipS(KeyType.Secp256k1, sig));
        Assert.False(malleated.VerifySignature(rotation.PublicKey));

        var tampered = PlcOperation.ParseJson(op.ToJson().Replace("alice.example.com", "mallory.example.com", StringComparison.Ordinal));
        Assert.Equal(op.Signature, tampered.Signature);
        Assert.False(tampered.VerifySignature(rotation.PublicKey));
    }

    [Fact]
    public async Task Next_CarriesFieldsReplacesHandleAndLinksPrev()
    {
        using var rotation = Keypair.Generate(KeyType.Secp256k1);
        using var signing = Keypair.Generate(KeyType.P256);
        var genesis = await SignedGenesisAsync(rotation, signing.PublicKey);
        var update = await genesis.Next(handle: Handle.Parse("Alice2.Example.com")).SignAsync(rotation, CancellationToken.None);

        Assert.Equal(genesis.Cid, update.Prev);
        Assert.False(update.IsGenesis);
        Assert.Equal("alice2.example.com", update.Handle!.ToString());
        Assert.Equal(["at://alice2.example.com"], update.AlsoKnownAs);
        Assert.Equal(genesis.RotationKeys, update.RotationKeys);
        Assert.Equal(signing.PublicKey.ToDidKey(), update.AtprotoSigningKey);
        Assert.Equal(PdsUrl, update.PdsEndpoint);
        Assert.IsType<DataString>(DagCbor.DecodeMap(update.Encode())["prev"]);
        Assert.Throws<ArgumentException>(() => update.DeriveDid());
    }

    [Fact]
    public async Task Tombstone_EncodesTypeAndPrevOnly()
    {
        using var rotation = Keypair.Generate(KeyType.Secp256k1);
        var genesis = await SignedGenesisAsync(rotation, rotation.PublicKey);
        var tombstone = await PlcOperation.CreateTombstone(genesis.Cid).SignAsync(rotation, CancellationToken.None);

        Assert.True(tombstone.IsTombstone);
        Assert.Equal(["sig", "prev", "type"], DagCbor.DecodeMap(tombstone.Encode()).Keys.ToArray());
        Assert.True(tombstone.VerifySignature(rotation.PublicKey));
        Assert.Empty(tombstone.RotationKeys);
        Assert.Throws<InvalidOperationException>(() => tombstone.Next(handle: Handle.Parse("x.example.com")));
        Assert.Equal(tombstone.Cid, PlcOperation.ParseJson(tombstone.ToJsonUtf8()).Cid);
    }

    [Fact]
    public async Task ParseJson_RoundTrip_SameBytesAndCid()
    {
        using var rotation = Keypair.Generate(KeyType.P256);
        var op = await SignedGenesisAsync(rotation, rotation.PublicKey);
        var json = op.ToJson();
        var parsed = PlcOperation.ParseJson(json);

        Assert.Equal(op.Encode().ToArray(), parsed.Encode().ToArray());
        Assert.Equal(op.Cid, parsed.Cid);
        Assert.Equal(op.DeriveDid(), parsed.DeriveDid());
        Assert.True(parsed.VerifySignature(rotation.PublicKey));
        Assert.Contains("\"prev\":null", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParseJson_UnknownField_KeptInBytesAndCid()
    {
        using var rotation = Keypair.Generate(KeyType.Secp256k1);
        var op = await SignedGenesisAsync(rotation, rotation.PublicKey);
        var extended = PlcOperation.ParseJson(op.ToJson().Insert(1, "\"zz\":\"x\","));

        Assert.NotEqual(op.Cid, extended.Cid);
        Assert.Contains("\"zz\":\"x\"", extended.ToJson(), StringComparison.Ordinal);
        Assert.False(extended.VerifySignature(rotation.PublicKey));
    }

    [Fact]
    public void ParseJson_LegacyCreate_NormalisedAndSignedBytesKept()
    {
        using var recovery = Keypair.Generate(KeyType.Secp256k1);
        using var signing = Keypair.Generate(KeyType.Secp256k1);
        var unsigned = DataMap.Create(
            ("type", DataValue.Of("create")),
            ("signingKey", DataValue.Of(signing.PublicKey.ToDidKey())),
            ("recoveryKey", DataValue.Of(recovery.PublicKey.ToDidKey())),
            ("handle", DataValue.Of("old.example.com")),
            ("service", DataValue.Of("pds.example.com")),
            ("prev", DataValue.Null));
        var sig = Base64UrlEncode(signing.Sign(DagCbor.Encode(unsigned)));
        var signed = DataMap.Create(unsigned.Entries.Append(new("sig", DataValue.Of(sig))));
        var op = PlcOperation.ParseJson(DataModelJson.ToJsonString(signed));

        Assert.Equal(PlcOperation.LegacyCreateType, op.Type);
        Assert.Equal([recovery.PublicKey.ToDidKey(), signing.PublicKey.ToDidKey()], op.RotationKeys);
        Assert.Equal(["at://old.example.com"], op.AlsoKnownAs);
        Assert.Equal("https://pds.example.com", op.PdsEndpoint);
        Assert.Equal(signing.PublicKey.ToDidKey(), op.AtprotoSigningKey);
        Assert.Equal(Cid.ForDagCbor(DagCbor.Encode(signed)), op.Cid);
        Assert.Equal(signing.PublicKey.ToDidKey(), op.FindSigner(op.RotationKeys));
        Assert.Equal("did:plc:" + LowerBase32(SHA256.HashData(DagCbor.Encode(signed)))[..24], op.DeriveDid().ToString());
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{")]
    [InlineData("{\"type\":\"plc_operation\"}")]
    [InlineData("{\"type\":\"nope\",\"prev\":null}")]
    [InlineData("{\"type\":\"plc_tombstone\",\"prev\":null,\"sig\":\"AAAA\"}")]
    [InlineData("{\"type\":\"plc_tombstone\",\"prev\":\"bafybad\",\"sig\":\"AAAA\"}")]
    [InlineData("{\"type\":\"plc_tombstone\",\"prev\":{\"$link\":\"bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm\"},\"sig\":\"AAAA\"}")]
    [InlineData("{\"type\":\"plc_tombstone\",\"prev\":\"bafkreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm\",\"sig\":\"AAAA\"}")]
    [InlineData("{\"type\":\"plc_tombstone\",\"prev\":\"bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm\",\"sig\":\"AAAA==\"}")]
    [InlineData("{\"type\":\"plc_tombstone\",\"prev\":\"bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm\",\"sig\":\"AA+/\"}")]
    [InlineData("{\"type\":\"plc_tombstone\",\"prev\":\"bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm\",\"sig\":7}")]
    [InlineData("{\"type\":\"plc_operation\",\"rotationKeys\":\"did:key:x\",\"verificationMethods\":{},\"alsoKnownAs\":[],\"services\":{},\"prev\":null}")]
    [InlineData("{\"type\":\"plc_operation\",\"rotationKeys\":[],\"verificationMethods\":{\"a\":1},\"alsoKnownAs\":[],\"services\":{},\"prev\":null}")]
    [InlineData("{\"type\":\"plc_operation\",\"rotationKeys\":[],\"verificationMethods\":{},\"alsoKnownAs\":[null],\"services\":{},\"prev\":null}")]
    [InlineData("{\"type\":\"plc_operation\",\"rotationKeys\":[],\"verificationMethods\":{},\"alsoKnownAs\":[],\"services\":{\"s\":\"https://x\"},\"prev\":null}")]
    [InlineData("{\"type\":\"plc_operation\",\"rotationKeys\":[],\"verificationMethods\":{},\"alsoKnownAs\":[],\"services\":{\"s\":{\"type\":\"t\"}},\"prev\":null}")]
    [InlineData("{\"type\":\"create\",\"signingKey\":\"k\",\"recoveryKey\":\"k\",\"handle\":\"h\",\"service\":\"s\",\"prev\":\"bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm\"}")]
    [InlineData("{\"type\":\"plc_tombstone\",\"type\":\"plc_tombstone\",\"prev\":\"bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm\"}")]
    [InlineData("{\"type\":\"plc_tombstone\",\"prev\":\"bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm\",\"n\":1.5}")]
    public void ParseJson_Malformed_PlcFormatException(string json)
    {
        Assert.Throws<PlcFormatException>(() => PlcOperation.ParseJson(json));
    }

    [Fact]
    public void ParseJson_Oversized_PlcFormatException()
    {
        var json = "{\"type\":\"plc_tombstone\",\"x\":\"" + new string('a', PlcOperation.MaxJsonLength) + "\"}";
        Assert.Throws<PlcFormatException>(() => PlcOperation.ParseJson(json));
    }

    [Fact]
    public void Create_InvalidKeysOrIds_ArgumentException()
    {
        using var a = Keypair.Generate(KeyType.Secp256k1);
        var key = a.PublicKey.ToDidKey();
        var methods = new Dictionary<string, string> { ["atproto"] = key };
        var services = new Dictionary<string, PlcService> { ["atproto_pds"] = PlcService.AtprotoPds(PdsUrl) };
        string[][] badRotationKeys =
        [
            [],
            [key, key],
            ["did:key:zNotAKey"],
            Enumerable.Range(0, 6).Select(_ => { using var k = Keypair.Generate(KeyType.P256); return k.PublicKey.ToDidKey(); }).ToArray(),
        ];
        foreach (var keys in badRotationKeys)
        {
            Assert.Throws<ArgumentException>(() => PlcOperation.Create(keys, methods, [], services, null));
        }
        Assert.Throws<ArgumentException>(() => PlcOperation.Create([key], new Dictionary<string, string> { ["#atproto"] = key }, [], services, null));
        Assert.Throws<ArgumentException>(() => PlcOperation.Create([key], new Dictionary<string, string> { ["atproto"] = "did:web:x" }, [], services, null));
        Assert.Throws<ArgumentException>(() => PlcOperation.Create([key], methods, [new string('a', PlcOperation.MaxEncodedLength)], services, null));
        Assert.Throws<ArgumentException>(() => PlcOperation.CreateAtproto(a.PublicKey, Handle.Parse("a.example.com"), PdsUrl, [a.PublicKey]).WithSignature(new byte[63]));
        var rawCid = Cid.ForRaw([1, 2, 3]);
        Assert.Throws<ArgumentException>(() => PlcOperation.Create([key], methods, [], services, rawCid));
        Assert.Throws<ArgumentException>(() => PlcOperation.CreateTombstone(rawCid));
    }

    internal static string LowerBase32(ReadOnlySpan<byte> data)
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var bits = string.Concat(data.ToArray().Select(b => Convert.ToString(b, 2).PadLeft(8, '0')));
        bits = bits.PadRight((bits.Length + 4) / 5 * 5, '0');
        var text = new StringBuilder();
        for (var i = 0; i < bits.Length; i += 5)
        {
            text.Append(Alphabet[Convert.ToInt32(bits.Substring(i, 5), 2)]);
        }
        return text.ToString();
    }

    internal static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static byte[] Base64UrlDecode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight((s.Length + 3) / 4 * 4, '='));
    }

    /// <summary>Just enough CBOR to write expectations by hand, independent of DagCborWriter.</summary>
    private sealed class TinyCbor
    {
        private readonly List<byte> _bytes = [];

        public TinyCbor Map(int n) => Head(5, n);
        public TinyCbor Array(int n) => Head(4, n);
        public TinyCbor Null() { _bytes.Add(0xf6); return this; }

        public TinyCbor Text(string s)
        {
            var utf8 = Encoding.UTF8.GetBytes(s);
            Head(3, utf8.Length);
            _bytes.AddRange(utf8);
            return this;
        }

        public byte[] ToArray() => [.. _bytes];

        private TinyCbor Head(int major, int n)
        {
            var m = (byte)(major << 5);
            if (n < 24)
            {
                _bytes.Add((byte)(m | n));
            }
            else if (n < 256)
            {
                _bytes.AddRange([(byte)(m | 24), (byte)n]);
            }
            else
            {
                _bytes.AddRange([(byte)(m | 25), (byte)(n >> 8), (byte)n]);
            }
            return this;
        }
    }
}
