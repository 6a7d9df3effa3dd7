using Pds.Core.Car;
using Pds.Core.Cbor;
using Pds.Core.Crypto;
using Pds.Core.DataModel;
using Pds.Core.Ipld;
using Pds.Core.Repo;
using Pds.Core.Syntax;

namespace Pds.Core.Tests.Repo;

public class RepoVerifierTests
{
    private const string Did = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";

    private static async Task<(byte[] Car, RepoHead Head, MemoryBlockStore Blocks, Keypair Key)> BuildCarAsync(int count, KeyType type = KeyType.Secp256k1)
    {
        var key = Keypair.Generate(type);
        var tids = new TidGenerator(3);
        var records = Enumerable.Range(0, count)
            .Select(i => ($"app.bsky.feed.post/{RecordKey.FromTid(tids.Next())}", RepoWriterTests.PostRecord($"post {i}")));
        var (head, blocks) = await RepoBuilder.BuildAsync(Did, records, key, tids.Next());
        using var stream = new MemoryStream();
        await RepoExport.WriteCarAsync(stream, blocks, head);
        return (stream.ToArray(), head, blocks, key);
    }

    [Theory]
    [InlineData(0, KeyType.Secp256k1)]
    [InlineData(1, KeyType.P256)]
    [InlineData(2000, KeyType.Secp256k1)]
    public async Task Verify_ExportedRepo_ReturnsEveryRecord(int count, KeyType type)
    {
        var (car, head, blocks, key) = await BuildCarAsync(count, type);
        var verified = await RepoVerifier.VerifyAsync(CarReader.Read(car), key.PublicKey, Did);
        Assert.Equal(head.CommitCid, verified.CommitCid);
        Assert.Equal(count, verified.Records.Count);
        Assert.Equal(blocks.Count, verified.BlockCount);
    }

    [Fact]
    public async Task Verify_WrongKey_Rejected()
    {
        var (car, _, _, _) = await BuildCarAsync(10);
        var ex = await Assert.ThrowsAsync<RepoFormatException>(() => RepoVerifier.VerifyAsync(CarReader.Read(car), Keypair.Generate(KeyType.Secp256k1).PublicKey));
        Assert.Contains("signature", ex.Message);
    }

    [Fact]
    public async Task Verify_HighSSignature_RejectedButStructureReadable()
    {
        var (_, head, blocks, key) = await BuildCarAsync(5);
        var sig = head.Commit.Signature.ToArray();
        var n = KeyType.Secp256k1.CurveOrder();
        var s = new System.Numerics.BigInteger(sig.AsSpan(32), isUnsigned: true, isBigEndian: true);
        (n - s).TryWriteBytes(sig.AsSpan(32), out _, isUnsigned: true, isBigEndian: true);
        var map = DagCbor.DecodeMap(head.Commit.Encode());
        var forged = DagCbor.Encode(DataMap.Create(map.Entries.Select(e => e.Key == "sig" ? new KeyValuePair<string, DataValue>("sig", new DataBytes(sig)) : e)));
        var forgedCid = Cid.ForDagCbor(forged);
        var car = CarWriter.ToBytes([forgedCid], blocks.Blocks.Select(b => new CarBlock(b.Key, b.Value)).Append(new CarBlock(forgedCid, forged)));

        Assert.Equal(5, (await RepoVerifier.VerifyAsync(CarReader.Read(car))).Records.Count);
        await Assert.ThrowsAsync<RepoFormatException>(() => RepoVerifier.VerifyAsync(CarReader.Read(car), key.PublicKey));
    }

    [Fact]
    public async Task Verify_MissingRecordOrNode_Rejected()
    {
        var (_, head, blocks, _) = await BuildCarAsync(300);
        var tree = await Pds.Core.Mst.Mst.LoadAsync(blocks, head.Commit.Data);
        var aRecord = (await tree.WalkAsync().FirstAsync()).Value;
        var aNode = (await tree.WalkNodesAsync().LastAsync()).Cid;
        foreach (var missing in new[] { aRecord, aNode, head.Commit.Data })
        {
            var car = CarWriter.ToBytes([head.CommitCid], blocks.Blocks.Where(b => b.Key != missing).Select(b => new CarBlock(b.Key, b.Value)));
            var ex = await Assert.ThrowsAsync<RepoFormatException>(() => RepoVerifier.VerifyAsync(CarReader.Read(car)));
            Assert.Contains("missing", ex.Message);
        }
    }

    [Fact]
    public void Decode_CommitWithoutPrev_Rejected()
    {
        var map = DataMap.Create(
            ("did", DataValue.Of(Did)), ("version", DataValue.Of(3)), ("rev", DataValue.Of("3kzxzr3q3ok2a")),
            ("data", DataValue.Of(Cid.ForDagCbor([0xa0]))), ("sig", DataValue.Of(new byte[64])));
        var ex = Assert.Throws<RepoFormatException>(() => RepoCommit.Decode(DagCbor.Encode(map)));
        Assert.Contains("prev", ex.Message);
    }
}
