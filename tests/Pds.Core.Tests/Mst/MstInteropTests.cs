using System.Text;
using Pds.Core.Ipld;
using Pds.Core.Mst;
using Pds.Core.Tests.Interop;

namespace Pds.Core.Tests.Mst;

public class MstInteropTests
{
    [InteropFact]
    public void KeyHeights_MatchFixture()
    {
        var cases = InteropFiles.Json("mst/key_heights.json");
        Assert.Equal(9, cases.GetArrayLength());
        foreach (var c in cases.EnumerateArray())
        {
            Assert.Equal(c.GetProperty("height").GetInt32(), MstKey.Height(c.GetProperty("key").GetString()!));
        }
    }

    [InteropFact]
    public void CommonPrefix_MatchesFixture()
    {
        var cases = InteropFiles.Json("mst/common_prefix.json");
        Assert.Equal(13, cases.GetArrayLength());
        foreach (var c in cases.EnumerateArray())
        {
            var left = Encoding.UTF8.GetBytes(c.GetProperty("left").GetString()!);
            var right = Encoding.UTF8.GetBytes(c.GetProperty("right").GetString()!);
            Assert.Equal(c.GetProperty("len").GetInt32(), MstKey.CommonPrefixLength(left, right));
        }
    }

    [InteropFact]
    public void ExampleKeys_HeightIsSecondCharacter()
    {
        var keys = InteropFiles.Lines("mst/example_keys.txt").ToList();
        Assert.Equal(156, keys.Count);
        Assert.All(keys, k => Assert.Equal(k[1] - '0', MstKey.Height(k)));
    }

    [InteropFact]
    public async Task CommitProofs_RootsProofBlocksAndInversion()
    {
        var fixtures = InteropFiles.Json("firehose/commit-proof-fixtures.json");
        Assert.Equal(6, fixtures.GetArrayLength());
        foreach (var f in fixtures.EnumerateArray())
        {
            var name = f.GetProperty("comment").GetString()!;
            var leaf = Cid.Parse(f.GetProperty("leafValue").GetString()!);
            var keys = f.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).ToList();
            var adds = f.GetProperty("adds").EnumerateArray().Select(k => k.GetString()!).ToList();
            var dels = f.GetProperty("dels").EnumerateArray().Select(k => k.GetString()!).ToList();

            var store = new MemoryBlockStore();
            var tree = Pds.Core.Mst.Mst.Empty(store);
            foreach (var k in keys)
            {
                await tree.AddAsync(k, leaf);
            }
            Assert.True(f.GetProperty("rootBeforeCommit").GetString() == tree.Commit(store.Put).ToString(), name);

            var newNodes = new HashSet<Cid>();
            foreach (var k in adds)
            {
                await tree.AddAsync(k, leaf);
            }
            foreach (var k in dels)
            {
                await tree.DeleteAsync(k);
            }
            var rootAfter = tree.Commit((cid, bytes) => { store.Put(cid, bytes); newNodes.Add(cid); });
            Assert.True(f.GetProperty("rootAfterCommit").GetString() == rootAfter.ToString(), name);

            var ops = adds.Select(k => new MstOperation(k, null, leaf)).Concat(dels.Select(k => new MstOperation(k, leaf, null))).ToList();
            var proof = new HashSet<Cid>(newNodes);
            proof.UnionWith(await MstProof.CollectInversionBlocksAsync(store, rootAfter, ops));
            foreach (var expected in f.GetProperty("blocksInProof").EnumerateArray())
            {
                Assert.True(proof.Contains(Cid.Parse(expected.GetString()!)), $"{name}: proof lacks {expected}");
            }

            var proofStore = new MemoryBlockStore();
            foreach (var cid in proof)
            {
                Assert.True(store.TryGet(cid, out var bytes));
                proofStore.Put(cid, bytes);
            }
            var rng = new Random(5);
            for (var attempt = 0; attempt < 24; attempt++)
            {
                var order = attempt == 0 ? ops : ops.OrderBy(_ => rng.Next()).ToList();
                var before = await MstProof.InvertAsync(proofStore, rootAfter, order);
                Assert.True(f.GetProperty("rootBeforeCommit").GetString() == before.ToString(), $"{name}: inversion order {attempt}");
            }
        }
    }
}
