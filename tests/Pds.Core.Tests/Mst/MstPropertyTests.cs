using System.Text;
using Pds.Core.Ipld;
using Pds.Core.Mst;

namespace Pds.Core.Tests.Mst;

public class MstPropertyTests
{
    private static readonly Cid Leaf = Cid.ForRaw("leaf"u8);

    private static List<string> RandomKeys(Random rng, int count)
    {
        string[] collections = ["app.bsky.feed.post", "app.bsky.feed.like", "app.bsky.graph.follow", "com.example.thing"];
        var keys = new HashSet<string>();
        while (keys.Count < count)
        {
            keys.Add($"{collections[rng.Next(collections.Length)]}/{rng.NextInt64(1L << 50):x}");
        }
        return [.. keys];
    }

    private static async Task<Cid> InsertAll(IEnumerable<string> keys, Func<string, Cid>? value = null)
    {
        var tree = Pds.Core.Mst.Mst.Empty();
        foreach (var k in keys)
        {
            await tree.AddAsync(k, value?.Invoke(k) ?? Leaf);
        }
        return tree.Commit();
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(3, 50)]
    [InlineData(4, 700)]
    public async Task Root_IsIndependentOfInsertionOrder(int seed, int count)
    {
        var rng = new Random(seed);
        var keys = RandomKeys(rng, count);
        var expected = await InsertAll(keys);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(expected, await InsertAll(keys.OrderBy(_ => rng.Next())));
        }
        var built = MstBuilder.Build(keys.Select(k => new KeyValuePair<byte[], Cid>(Encoding.UTF8.GetBytes(k), Leaf)));
        Assert.Equal(expected, built.Commit());
    }

    [Fact]
    public async Task DeleteAndReinsert_ReturnsToSameRoot()
    {
        var rng = new Random(11);
        var keys = RandomKeys(rng, 400);
        var tree = Pds.Core.Mst.Mst.Empty();
        foreach (var k in keys)
        {
            await tree.AddAsync(k, Leaf);
        }
        var full = tree.Commit();
        for (var round = 0; round < 5; round++)
        {
            var victims = keys.OrderBy(_ => rng.Next()).Take(rng.Next(1, 120)).ToList();
            foreach (var k in victims)
            {
                await tree.DeleteAsync(k);
            }
            Assert.Equal(await InsertAll(keys.Except(victims)), tree.Commit());
            foreach (var k in victims.OrderBy(_ => rng.Next()))
            {
                await tree.AddAsync(k, Leaf);
            }
            Assert.Equal(full, tree.Commit());
        }
        foreach (var k in keys.OrderBy(_ => rng.Next()))
        {
            await tree.DeleteAsync(k);
        }
        Assert.Equal(Pds.Core.Mst.Mst.Empty().Commit(), tree.Commit());
        Assert.Equal("bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm", tree.Commit().ToString());
    }

    [Fact]
    public async Task Walk_ListsKeysInOrderFromStoreAndBackwards()
    {
        var rng = new Random(3);
        var keys = RandomKeys(rng, 500);
        var store = new MemoryBlockStore();
        var tree = Pds.Core.Mst.Mst.Empty(store);
        foreach (var k in keys)
        {
            await tree.AddAsync(k, Cid.ForRaw(Encoding.UTF8.GetBytes(k)));
        }
        var root = tree.Commit(store.Put);
        var loaded = await Pds.Core.Mst.Mst.LoadAsync(store, root);
        var sorted = keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        Assert.Equal(sorted, await loaded.WalkAsync().Select(l => l.Key).ToListAsync());
        Assert.Equal(Enumerable.Reverse(sorted), await loaded.WalkAsync(reverse: true).Select(l => l.Key).ToListAsync());
        var likes = sorted.Where(k => k.StartsWith("app.bsky.feed.like/", StringComparison.Ordinal)).ToList();
        Assert.Equal(likes, await loaded.ListPrefixAsync("app.bsky.feed.like/").Select(l => l.Key).ToListAsync());
        Assert.Equal(Enumerable.Reverse(likes), await loaded.ListPrefixAsync("app.bsky.feed.like/", reverse: true).Select(l => l.Key).ToListAsync());
        foreach (var k in keys.Take(50))
        {
            Assert.Equal(Cid.ForRaw(Encoding.UTF8.GetBytes(k)), await loaded.GetAsync(k));
            Assert.Null(await loaded.GetAsync(k + "x"));
        }
        Assert.Equal(store.Count, await loaded.WalkNodesAsync().CountAsync());
    }

    [Fact]
    public async Task Diff_ReportsExactlyTheChanges()
    {
        var rng = new Random(8);
        var keys = RandomKeys(rng, 600);
        var store = new MemoryBlockStore();
        var before = Pds.Core.Mst.Mst.Empty(store);
        foreach (var k in keys)
        {
            await before.AddAsync(k, Leaf);
        }
        before.Commit(store.Put);
        var after = before.Fork();
        var other = Cid.ForRaw("other"u8);
        var created = RandomKeys(new Random(9), 30).Except(keys).ToList();
        var deleted = keys.Take(20).ToList();
        var updated = keys.Skip(20).Take(10).ToList();
        foreach (var k in created)
        {
            await after.AddAsync(k, Leaf);
        }
        foreach (var k in deleted)
        {
            await after.DeleteAsync(k);
        }
        foreach (var k in updated)
        {
            await after.UpdateAsync(k, other);
        }
        var diff = await MstDiff.ComputeAsync(before, after);
        Assert.Equal(created.Order(StringComparer.Ordinal), diff.Changes.Where(c => c.Before is null).Select(c => c.Key));
        Assert.Equal(deleted.Order(StringComparer.Ordinal), diff.Changes.Where(c => c.After is null).Select(c => c.Key));
        Assert.Equal(updated.Order(StringComparer.Ordinal), diff.Changes.Where(c => c.Before is not null && c.After is not null).Select(c => c.Key));
        Assert.Empty((await MstDiff.ComputeAsync(after, after.Fork())).Changes);
        var fromEmpty = await MstDiff.ComputeAsync(Pds.Core.Mst.Mst.Empty(), before);
        Assert.Equal(keys.Count, fromEmpty.Changes.Count);
    }

    [Fact]
    public async Task Edits_OnMissingOrExistingKeys_Throw()
    {
        var tree = Pds.Core.Mst.Mst.Empty();
        await tree.AddAsync("a/b", Leaf);
        await Assert.ThrowsAsync<MstKeyExistsException>(async () => await tree.AddAsync("a/b", Leaf));
        await Assert.ThrowsAsync<MstKeyNotFoundException>(async () => await tree.DeleteAsync("a/c"));
        await Assert.ThrowsAsync<MstKeyNotFoundException>(async () => await tree.UpdateAsync("a/c", Leaf));
    }

    [Fact]
    public async Task Load_MissingChildBlock_ThrowsMissingBlock()
    {
        var store = new MemoryBlockStore();
        var tree = Pds.Core.Mst.Mst.Empty(store);
        foreach (var k in RandomKeys(new Random(2), 200))
        {
            await tree.AddAsync(k, Leaf);
        }
        var root = tree.Commit(store.Put);
        var partial = new MemoryBlockStore();
        store.TryGet(root, out var rootBytes);
        partial.Put(root, rootBytes);
        var loaded = await Pds.Core.Mst.Mst.LoadAsync(partial, root);
        await Assert.ThrowsAsync<MissingBlockException>(async () => await loaded.WalkAsync().CountAsync());
    }
}
