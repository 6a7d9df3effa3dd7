using Pds.Core.Crypto;
using Pds.Core.DataModel;
using Pds.Core.Ipld;
using Pds.Core.Mst;
using Pds.Core.Repo;
using Pds.Core.Syntax;

namespace Pds.Core.Tests.Repo;

public class RepoWriterTests
{
    private const string Did = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";
    private static readonly Nsid Post = Nsid.Parse("app.bsky.feed.post");
    private static readonly Nsid Like = Nsid.Parse("app.bsky.feed.like");

    internal static DataMap PostRecord(string text) => DataMap.Create(
        ("$type", DataValue.Of("app.bsky.feed.post")),
        ("text", DataValue.Of(text)),
        ("createdAt", DataValue.Of("2026-11-22T02:04:43.123Z")));

    /// <summary>A repo that persists what each commit produced, as a store would.</summary>
    internal sealed class Harness(KeyType type = KeyType.Secp256k1)
    {
        public MemoryBlockStore Store { get; } = new();
        public Keypair Key { get; } = Keypair.Generate(type);
        public TidGenerator Tids { get; } = new(7);
        public RepoHead? Head { get; private set; }
        public Dictionary<string, Cid> Expected { get; } = new(StringComparer.Ordinal);

        public async Task<CommitResult> ApplyAsync(params RepoWrite[] writes)
        {
            var result = await RepoWriter.ApplyAsync(Store, Did, Head, writes, Key, Tids);
            foreach (var (cid, bytes) in result.NewBlocks)
            {
                Store.Put(cid, bytes);
            }
            foreach (var op in result.Ops)
            {
                if (op.Cid is null)
                {
                    Expected.Remove(op.Path);
                }
                else
                {
                    Expected[op.Path] = op.Cid;
                }
            }
            Head = result.Head;
            return result;
        }
    }

    [Fact]
    public async Task Apply_CreateUpdateDelete_ReportsOpsAndChainsRevs()
    {
        var repo = new Harness();
        var first = await repo.ApplyAsync(RepoWrite.Create(Post, RecordKey.Parse("a"), PostRecord("one")));
        Assert.Null(first.Since);
        Assert.Null(first.PrevData);
        var second = await repo.ApplyAsync(
            RepoWrite.Update(Post, RecordKey.Parse("a"), PostRecord("two")),
            RepoWrite.Create(Like, RecordKey.Parse("b"), DataMap.Create(("$type", DataValue.Of("app.bsky.feed.like")))));
        var third = await repo.ApplyAsync(RepoWrite.Delete(Post, RecordKey.Parse("a")));

        Assert.Equal(first.Rev, second.Since);
        Assert.True(Tid.Parse(second.Rev) > Tid.Parse(first.Rev));
        Assert.Equal(first.Commit.Data, second.PrevData);
        Assert.Equal(first.CommitCid, second.PrevCommit);
        var update = second.Ops[0];
        Assert.Equal((WriteAction.Update, first.Ops[0].Cid), (update.Action, update.Prev));
        Assert.Equal((WriteAction.Delete, (Cid?)null, update.Cid), (third.Ops[0].Action, third.Ops[0].Cid, third.Ops[0].Prev));
        Assert.Null(third.Commit.Prev);
        Assert.True(third.Commit.VerifySignature(repo.Key.PublicKey));
        Assert.Equal(third.Commit.Encode(), RepoCommit.Decode(third.Commit.Encode()).Encode());
    }

    [Fact]
    public async Task Apply_RandomWorkload_FirehoseBlocksInvertToPrevData()
    {
        var rng = new Random(21);
        var repo = new Harness();
        var live = new List<RecordKey>();
        for (var commit = 0; commit < 60; commit++)
        {
            var writes = new List<RepoWrite>();
            var touched = new HashSet<string>();
            for (var i = rng.Next(1, 12); i > 0; i--)
            {
                var roll = rng.Next(10);
                if (roll < 2 && live.Count > 0)
                {
                    var k = live[rng.Next(live.Count)];
                    if (touched.Add(k.ToString()))
                    {
                        writes.Add(RepoWrite.Delete(Post, k));
                        live.Remove(k);
                    }
                }
                else if (roll < 4 && live.Count > 0)
                {
                    var k = live[rng.Next(live.Count)];
                    if (touched.Add(k.ToString()))
                    {
                        writes.Add(RepoWrite.Update(Post, k, PostRecord($"edit {rng.Next()}")));
                    }
                }
                else
                {
                    var k = RecordKey.FromTid(repo.Tids.Next());
                    touched.Add(k.ToString());
                    writes.Add(RepoWrite.Create(Post, k, PostRecord($"post {rng.Next()}")));
                    live.Add(k);
                }
            }
            var result = await repo.ApplyAsync([.. writes]);
            if (result.PrevData is null)
            {
                continue;
            }
            // What a firehose consumer receives is enough to get back to the previous tree.
            var shipped = new MemoryBlockStore();
            foreach (var cid in result.FirehoseBlocks)
            {
                Assert.True(repo.Store.TryGet(cid, out var bytes));
                shipped.Put(cid, bytes);
            }
            var ops = result.Ops.Select(o => new MstOperation(o.Path, o.Prev, o.Cid)).ToList();
            Assert.Equal(result.PrevData, await MstProof.InvertAsync(shipped, result.Commit.Data, ops));
            Assert.Contains(result.CommitCid, result.FirehoseBlocks);
        }
        var tree = await Pds.Core.Mst.Mst.LoadAsync(repo.Store, repo.Head!.Commit.Data);
        var actual = await tree.WalkAsync().ToDictionaryAsync(l => l.Key, l => l.Value);
        Assert.Equal(repo.Expected.OrderBy(e => e.Key, StringComparer.Ordinal), actual.OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Apply_InvalidBatches_ThrowTypedErrors()
    {
        var repo = new Harness();
        var a = RecordKey.Parse("a");
        await repo.ApplyAsync(RepoWrite.Create(Post, a, PostRecord("x")));
        async Task<RepoWriteError> Fails(params RepoWrite[] writes) =>
            (await Assert.ThrowsAsync<RepoWriteException>(() => repo.ApplyAsync(writes))).Kind;

        Assert.Equal(RepoWriteError.RecordAlreadyExists, await Fails(RepoWrite.Create(Post, a, PostRecord("y"))));
        Assert.Equal(RepoWriteError.RecordNotFound, await Fails(RepoWrite.Update(Post, RecordKey.Parse("b"), PostRecord("y"))));
        Assert.Equal(RepoWriteError.RecordNotFound, await Fails(RepoWrite.Delete(Post, RecordKey.Parse("b"))));
        Assert.Equal(RepoWriteError.DuplicatePath, await Fails(RepoWrite.Update(Post, a, PostRecord("y")), RepoWrite.Delete(Post, a)));
        Assert.Equal(RepoWriteError.InvalidRecord, await Fails(RepoWrite.Create(Post, RecordKey.Parse("c"), DataMap.Create(("text", DataValue.Of("no type"))))));
        var many = Enumerable.Range(0, 201).Select(i => RepoWrite.Create(Post, RecordKey.Parse($"k{i}"), PostRecord("z"))).ToArray();
        Assert.Equal(RepoWriteError.TooManyWrites, await Fails(many));
    }

    [Fact]
    public async Task Builder_MatchesIncrementalWrites()
    {
        var repo = new Harness();
        var records = Enumerable.Range(0, 300).Select(i => ($"app.bsky.feed.post/{RecordKey.FromTid(repo.Tids.Next())}", PostRecord($"n{i}"))).ToList();
        foreach (var chunk in records.Chunk(100))
        {
            await repo.ApplyAsync([.. chunk.Select(r => RepoWrite.Create(Post, RecordKey.Parse(r.Item1.Split('/')[1]), r.Item2))]);
        }
        var (head, _) = await RepoBuilder.BuildAsync(Did, records, repo.Key, repo.Tids.Next());
        Assert.Equal(repo.Head!.Commit.Data, head.Commit.Data);
    }
}
