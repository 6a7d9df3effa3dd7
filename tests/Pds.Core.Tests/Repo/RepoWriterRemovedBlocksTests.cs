using Pds.Core.Ipld;
using Pds.Core.Repo;
using Pds.Core.Syntax;

namespace Pds.Core.Tests.Repo;

/// <summary>
/// RemovedBlocks against the definition: the blocks the old head reaches and the new one does not.
/// Nodes must match exactly (a store deletes them unconditionally); record blocks are candidates
/// the store checks against its index, so every unreachable record must be a candidate, and a
/// candidate may only be a record the new tree still holds under another path.
/// </summary>
public class RepoWriterRemovedBlocksTests
{
    private static readonly Nsid Post = Nsid.Parse("app.bsky.feed.post");

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Apply_RandomWorkload_RemovedIsExactlyWhatTheNewHeadStopsReaching(int seed)
    {
        var random = new Random(seed);
        var repo = new RepoWriterTests.Harness();
        var live = new List<string>();
        var next = 0;
        for (var round = 0; round < 40; round++)
        {
            var before = repo.Head is null ? new HashSet<Cid>() : await ReachableAsync(repo);
            var writes = new List<RepoWrite>();
            var touched = new HashSet<string>();
            for (var i = random.Next(1, round % 10 == 9 ? 120 : 8); i > 0; i--)
            {
                // Texts repeat on purpose: identical records at two paths share one block.
                var text = $"text {random.Next(30)}";
                var roll = random.Next(10);
                if (roll < 5 || live.Count == 0)
                {
                    var rkey = $"k{next++:D5}";
                    writes.Add(RepoWrite.Create(Post, RecordKey.Parse(rkey), RepoWriterTests.PostRecord(text)));
                    touched.Add(rkey);
                }
                else
                {
                    var rkey = live[random.Next(live.Count)];
                    if (!touched.Add(rkey))
                    {
                        continue;
                    }
                    writes.Add(roll < 8
                        ? RepoWrite.Update(Post, RecordKey.Parse(rkey), RepoWriterTests.PostRecord(text))
                        : RepoWrite.Delete(Post, RecordKey.Parse(rkey)));
                }
            }
            var result = await repo.ApplyAsync([.. writes]);
            foreach (var op in result.Ops)
            {
                var rkey = op.Path[(op.Path.IndexOf('/', StringComparison.Ordinal) + 1)..];
                if (op.Cid is null)
                {
                    live.Remove(rkey);
                }
                else if (op.Prev is null)
                {
                    live.Add(rkey);
                }
            }
            if (before.Count == 0)
            {
                Assert.True(result.Removed.IsEmpty);
                continue;
            }
            var after = await ReachableAsync(repo);
            var gone = before.Where(c => !after.Contains(c)).ToHashSet();
            // Records leave a tree only through the ops that replaced or deleted them.
            var prevs = result.Ops.Where(o => o.Prev is not null).Select(o => o.Prev!).ToHashSet();
            var stillHeld = repo.Expected.Values.ToHashSet();
            Assert.Equal(gone.Where(c => !prevs.Contains(c)).Order(), result.Removed.Nodes.Order());
            var candidates = result.Removed.Records.ToHashSet();
            Assert.Superset(gone.Where(prevs.Contains).ToHashSet(), candidates);
            Assert.Subset(prevs, candidates);
            Assert.All(candidates, c => Assert.True(gone.Contains(c) || stillHeld.Contains(c)));
            Assert.DoesNotContain(candidates, c => result.NewBlocks.ContainsKey(c));
        }
    }

    private static async Task<HashSet<Cid>> ReachableAsync(RepoWriterTests.Harness repo)
    {
        var cids = new HashSet<Cid>();
        await foreach (var (cid, _) in RepoExport.ReachableAsync(c => repo.Store.GetBlockAsync(c), repo.Head!))
        {
            cids.Add(cid);
        }
        return cids;
    }
}
