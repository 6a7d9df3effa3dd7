using Pds.Core.Crypto;
using Pds.Core.DataModel;
using Pds.Core.Ipld;
using Pds.Core.Repo;
using Pds.Core.Storage;
using Pds.Core.Syntax;

namespace Pds.Storage.Tests.Contracts;

/// <summary>The real write path over a store: each commit reads the previous tree back through <see cref="IRepoStore.Blocks"/>.</summary>
public abstract class RepoWriterRoundTripContract : ContractTest
{
    private static readonly Nsid Post = Nsid.Parse("app.bsky.feed.post");

    protected abstract Task<IRepoStore> CreateAsync();

    [Fact]
    public async Task ApplyCommit_RepoWriterChain_TreeReadsBackThroughStore()
    {
        var repos = await CreateAsync();
        var did = TestIds.Did();
        using var key = Keypair.Generate(KeyType.Secp256k1);
        var tids = TidGenerator.WithRandomClockId();
        RepoHead? head = null;
        var expected = new SortedDictionary<string, string>(StringComparer.Ordinal);

        for (var round = 0; round < 4; round++)
        {
            var writes = Enumerable.Range(0, 5).Select(i => $"r{round}x{i}")
                .Select(k => RepoWrite.Create(Post, RecordKey.Parse(k), PostRecord(k))).ToList();
            if (round > 0)
            {
                writes.Add(RepoWrite.Delete(Post, RecordKey.Parse($"r{round - 1}x0")));
                expected.Remove($"r{round - 1}x0");
            }
            var result = await RepoWriter.ApplyAsync(repos.Blocks(did), did, head, writes, key, tids);
            await repos.ApplyCommitAsync(did, ToCommitWrite(did, head, result));
            head = result.Head;
            foreach (var w in writes.Where(w => w.Action == WriteAction.Create))
            {
                expected[w.Rkey.ToString()] = w.Rkey.ToString();
            }
        }

        var stored = await repos.GetHeadAsync(did);
        Assert.Equal(head!.CommitCid, stored?.CommitCid);
        Assert.True(RepoCommit.Decode(stored!.CommitBytes).VerifySignature(key.PublicKey));
        var records = await repos.ListRecordsAsync(did, Post.ToString(), 100, null, reverse: false);
        Assert.Equal(expected.Keys, records.Select(r => r.Rkey));
    }

    /// <summary>
    /// After every commit of a random workload (creates, updates, deletes, identical records at
    /// several paths, now and then a batch of 120), the full snapshot is exactly what the head
    /// reaches, and every other block ever written is gone from the store.
    /// </summary>
    [Fact]
    public async Task ApplyCommit_RandomWorkload_StoredBlocksAreExactlyWhatTheHeadReaches()
    {
        var repos = await CreateAsync();
        var did = TestIds.Did();
        using var key = Keypair.Generate(KeyType.Secp256k1);
        var tids = TidGenerator.WithRandomClockId();
        var random = new Random(7);
        var written = new HashSet<Cid>();
        var live = new List<string>();
        RepoHead? head = null;
        for (var round = 0; round < 12; round++)
        {
            var writes = new List<RepoWrite>();
            var touched = new HashSet<string>();
            for (var i = round == 5 ? 120 : random.Next(1, 8); i > 0; i--)
            {
                var text = $"same text {random.Next(6)}";
                if (random.Next(3) == 0 && live.Count > 0)
                {
                    var rkey = live[random.Next(live.Count)];
                    if (touched.Add(rkey))
                    {
                        writes.Add(random.Next(2) == 0 ? RepoWrite.Update(Post, RecordKey.Parse(rkey), PostRecord(text)) : RepoWrite.Delete(Post, RecordKey.Parse(rkey)));
                    }
                    continue;
                }
                var created = $"r{round}x{i}";
                writes.Add(RepoWrite.Create(Post, RecordKey.Parse(created), PostRecord(text)));
            }
            var result = await RepoWriter.ApplyAsync(repos.Blocks(did), did, head, writes, key, tids);
            await repos.ApplyCommitAsync(did, ToCommitWrite(did, head, result));
            head = result.Head;
            written.UnionWith(result.NewBlocks.Keys);
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

            var reachable = new HashSet<Cid>();
            await foreach (var (cid, _) in RepoExport.ReachableAsync(c => repos.Blocks(did).GetBlockAsync(c), head))
            {
                reachable.Add(cid);
            }
            var snapshot = (await Snapshots.ReadAsync(repos, did, null))!.Value;
            Assert.Equal(head.CommitCid, snapshot.Head.CommitCid);
            Assert.Equal(reachable.Order(), snapshot.Blocks.Keys.Order());
            foreach (var cid in written.Where(c => !reachable.Contains(c)))
            {
                Assert.Null(await repos.Blocks(did).GetBlockAsync(cid));
            }
        }
        Assert.True(written.Count > 100, "the workload wrote enough to replace nodes and records");
    }

    /// <summary>An open snapshot keeps reading the state it opened on while commits delete that state's blocks.</summary>
    [Fact]
    public async Task OpenSnapshot_CommitsWhileOpen_ListsTheOpeningHeadsBlocks()
    {
        var repos = await CreateAsync();
        var did = TestIds.Did();
        using var key = Keypair.Generate(KeyType.Secp256k1);
        var tids = TidGenerator.WithRandomClockId();
        var writes = Enumerable.Range(0, 50).Select(i => RepoWrite.Create(Post, RecordKey.Parse($"k{i}"), PostRecord($"post {i}"))).ToList();
        var first = await RepoWriter.ApplyAsync(repos.Blocks(did), did, null, writes, key, tids);
        await repos.ApplyCommitAsync(did, ToCommitWrite(did, null, first));
        var expected = new HashSet<Cid>();
        await foreach (var (cid, _) in RepoExport.ReachableAsync(c => repos.Blocks(did).GetBlockAsync(c), first.Head))
        {
            expected.Add(cid);
        }

        await using var snapshot = (await repos.OpenSnapshotAsync(did, null))!;
        var second = await RepoWriter.ApplyAsync(
            repos.Blocks(did), did, first.Head, [RepoWrite.Delete(Post, RecordKey.Parse("k7")), RepoWrite.Delete(Post, RecordKey.Parse("k30"))], key, tids);
        await repos.ApplyCommitAsync(did, ToCommitWrite(did, first.Head, second));
        var listed = await Snapshots.CollectAsync(snapshot.Blocks);

        Assert.Equal(first.CommitCid, snapshot.Head.CommitCid);
        Assert.Equal(expected.Order(), listed.Keys.Order());
        Assert.Null(await repos.Blocks(did).GetBlockAsync(first.CommitCid));
    }

    private static DataMap PostRecord(string text) => DataMap.Create(
        ("$type", DataValue.Of("app.bsky.feed.post")),
        ("text", DataValue.Of(text)),
        ("createdAt", DataValue.Of("2026-01-02T03:04:05.678Z")));

    private static CommitWrite ToCommitWrite(string did, RepoHead? previous, CommitResult result)
    {
        var changes = result.Ops.Select(op =>
        {
            var slash = op.Path.IndexOf('/', StringComparison.Ordinal);
            return new RecordIndexChange(op.Path[..slash], op.Path[(slash + 1)..], op.Cid);
        }).ToList();
        var head = new StoredHead(did, result.CommitCid, result.Rev, result.Commit.Encode());
        return new CommitWrite(previous?.CommitCid, head, result.NewBlocks, changes, Event: null, result.Removed);
    }
}
