using Pds.Core.Car;
using Pds.Core.Cbor;
using Pds.Core.Crypto;
using Pds.Core.Ipld;
using Pds.Core.Mst;
using Pds.Core.Repo;
using Pds.Core.Syntax;

namespace Pds.Core.Tests.Repo;

/// <summary>RepoExport walks links only: it must still send exactly the reachable blocks, and fail cleanly on a broken store.</summary>
public class RepoExportTests
{
    private const string Did = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";

    [Fact]
    public async Task Export_StoreWithUnreachableBlocks_WritesExactlyTheRepoCommitFirst()
    {
        var (head, blocks) = await BuildAsync(["one", "two", "three", "two"]);
        var reachable = blocks.Blocks.Select(b => b.Key).ToHashSet();
        var garbage = blocks.PutDagCbor(DagCbor.Encode(RepoWriterTests.PostRecord("deleted long ago")));
        blocks.PutDagCbor([0xa0]);

        var car = CarReader.Read(await ExportAsync(blocks, head));

        Assert.Equal([head.CommitCid], car.Roots);
        Assert.Equal(reachable, car.Blocks.Keys.ToHashSet());
        Assert.DoesNotContain(garbage, car.Blocks.Keys);
        // Identical records ("two" twice) share a block, sent once.
        Assert.Equal(reachable.Count, car.SectionCount);
    }

    [Fact]
    public async Task Export_MissingRecordBlock_ThrowsMissingBlock()
    {
        var (head, blocks) = await BuildAsync(["one", "two"]);
        var store = new EditedStore(blocks);
        // The last block written is a record (each node is followed by its records).
        var last = (await OrderAsync(blocks, head)).Last();
        store.Remove(last);

        var e = await Assert.ThrowsAsync<MissingBlockException>(() => ExportAsync(store, head));
        Assert.Equal(last, e.Cid);
    }

    [Fact]
    public async Task Export_NodeLinkingBackToItself_ThrowsInsteadOfLooping()
    {
        var (head, blocks) = await BuildAsync(["one"]);
        var store = new EditedStore(blocks);
        // A store that does not check hashes could hand back a root whose subtree is the root.
        var w = new DagCborWriter();
        MstNodeCodec.Encode(w, head.Commit.Data, [], []);
        store.Replace(head.Commit.Data, w.ToArray());

        await Assert.ThrowsAsync<MstFormatException>(() => ExportAsync(store, head));
    }

    private static async Task<(RepoHead Head, MemoryBlockStore Blocks)> BuildAsync(string[] texts)
    {
        using var key = Keypair.Generate(KeyType.Secp256k1);
        var tids = new TidGenerator(5);
        var records = texts.Select(t => ($"app.bsky.feed.post/{RecordKey.FromTid(tids.Next())}", RepoWriterTests.PostRecord(t))).ToList();
        return await RepoBuilder.BuildAsync(Did, records, key, tids.Next());
    }

    private static async Task<byte[]> ExportAsync(IBlockReader store, RepoHead head)
    {
        using var stream = new MemoryStream();
        await RepoExport.WriteCarAsync(stream, store, head);
        return stream.ToArray();
    }

    /// <summary>The CIDs an export writes, in order.</summary>
    private static async Task<List<Cid>> OrderAsync(IBlockReader store, RepoHead head)
    {
        var reader = await CarReader.OpenAsync(new MemoryStream(await ExportAsync(store, head)));
        var order = new List<Cid>();
        while (await reader.ReadBlockAsync() is { } block)
        {
            order.Add(block.Cid);
        }
        return order;
    }

    private sealed class EditedStore(IBlockReader inner) : IBlockReader
    {
        private readonly Dictionary<Cid, ReadOnlyMemory<byte>?> _edits = [];

        public void Remove(Cid cid) => _edits[cid] = null;

        public void Replace(Cid cid, byte[] bytes) => _edits[cid] = bytes;

        public ValueTask<ReadOnlyMemory<byte>?> GetBlockAsync(Cid cid, CancellationToken ct = default) =>
            _edits.TryGetValue(cid, out var edited) ? new(edited) : inner.GetBlockAsync(cid, ct);
    }
}
