using Pds.Core.Ipld;
using Pds.Core.Mst;

namespace Pds.Core.Tests.Mst;

/// <summary>
/// MstNodeCodec.ReadLinks, the export walk's reader: it must name exactly the links the strict
/// decoder finds, and whatever the bytes, throw nothing but MstFormatException.
/// </summary>
public class MstNodeLinksTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 30)]
    [InlineData(3, 900)]
    public void ReadLinks_OnEveryNodeOfATree_MatchesTheStrictDecoder(int seed, int count)
    {
        var (root, nodes) = Tree(seed, count);
        // Walk from the root so the strict decoder knows each node's layer (a node holding only
        // a subtree has no key to infer it from).
        var pending = new Stack<(Cid Cid, int? Height)>([(root, null)]);
        var visited = 0;
        while (pending.TryPop(out var next))
        {
            var bytes = nodes[next.Cid];
            var (records, subtrees) = Links(bytes, next.Cid);
            var (expectedRecords, expectedSubtrees, height) = DecodedLinks(bytes, next.Cid, next.Height);
            Assert.Equal(expectedRecords, records);
            Assert.Equal(expectedSubtrees, subtrees);
            foreach (var subtree in subtrees)
            {
                pending.Push((subtree, height - 1));
            }
            visited++;
        }
        Assert.Equal(nodes.Count, visited);
        Assert.True(count < 30 || visited > 1, "a big tree should have inner nodes");
    }

    [Fact]
    public void ReadLinks_SeededMutationsOfNodes_OnlyMstFormatException_AgreesWhenDecodable()
    {
        var random = new Random(7021);
        var nodes = Tree(5, 300).Nodes.Values.Where(b => b.Length > 40).ToList();
        var (agreed, rejected) = (0, 0);
        for (var i = 0; i < 10_000; i++)
        {
            var input = nodes[random.Next(nodes.Count)].ToArray();
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                Mutate(ref input, random);
            }
            var cid = Cid.ForDagCbor(input);
            try
            {
                var links = Links(input, cid);
                // The strict decoder may refuse what ReadLinks accepts (it also checks keys), never the reverse.
                try
                {
                    var strict = DecodedLinks(input, cid, height: null);
                    Assert.Equal(strict.Records, links.Records);
                    Assert.Equal(strict.Subtrees, links.Subtrees);
                    agreed++;
                }
                catch (MstFormatException)
                {
                }
            }
            catch (MstFormatException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {i}: {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.True(agreed > 100, $"only {agreed} mutations stayed decodable");
        Assert.True(rejected > 3_000, $"only {rejected} mutations were rejected");
    }

    private static (List<Cid> Records, List<Cid> Subtrees) Links(byte[] bytes, Cid cid)
    {
        var records = new List<Cid>();
        var subtrees = new List<Cid>();
        MstNodeCodec.ReadLinks(bytes, cid, records, subtrees);
        return (records, subtrees);
    }

    private static (List<Cid> Records, List<Cid> Subtrees, int Height) DecodedLinks(byte[] bytes, Cid cid, int? height)
    {
        var node = MstNodeCodec.Decode(bytes, cid, height);
        var subtrees = new List<Cid>();
        for (var gap = 0; gap <= node.Entries.Length; gap++)
        {
            if (node.ChildAt(gap) is { } child)
            {
                subtrees.Add(child.Cid!);
            }
        }
        return ([.. node.Entries.Select(e => e.Value)], subtrees, node.Height);
    }

    private static (Cid Root, Dictionary<Cid, byte[]> Nodes) Tree(int seed, int count)
    {
        var random = new Random(seed);
        var tree = Pds.Core.Mst.Mst.Empty();
        for (var i = 0; i < count; i++)
        {
            var key = $"app.bsky.feed.post/{random.NextInt64(1L << 50):x}";
            tree.AddAsync(key, Cid.ForRaw(BitConverter.GetBytes(i))).AsTask().GetAwaiter().GetResult();
        }
        var nodes = new Dictionary<Cid, byte[]>();
        var root = tree.Commit((cid, bytes) => nodes[cid] = bytes);
        return (root, nodes);
    }

    private static void Mutate(ref byte[] bytes, Random random)
    {
        var list = bytes.ToList();
        var at = random.Next(list.Count);
        switch (random.Next(4))
        {
            case 0:
                list[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                list[at] = new byte[] { 0x00, 0x40, 0x58, 0xa2, 0xa4, 0xd8, 0xf6, 0xff }[random.Next(8)];
                break;
            case 2:
                list.RemoveRange(at, Math.Min(random.Next(1, 20), list.Count - at));
                break;
            default:
                list.InsertRange(at, list.GetRange(random.Next(list.Count), 1));
                break;
        }
        bytes = [.. list];
    }
}
