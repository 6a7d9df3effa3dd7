using Pds.Azure.Adapters.Events;
using Pds.Azure.Adapters.Repos;
using Pds.Azure.Storage;
using Pds.Core.Crypto;
using Pds.Core.DataModel;
using Pds.Core.Mst;
using Pds.Core.Repo;
using Pds.Core.Storage;
using Pds.Core.Syntax;
using Pds.Storage.Tests.Contracts;
using Pds.TestSupport;

namespace Pds.Storage.Tests.Azure;

/// <summary>
/// Commits stopped between their storage steps, as a killed process would stop them (every step
/// is a request, and a new store over the same tables is a restarted process). Afterwards the
/// repository is the old state or the new state: head, both record indexes and the outbox event
/// agree.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureCommitCrashTests(AzuriteFixture azurite)
{
    private static readonly Nsid Post = Nsid.Parse("app.bsky.feed.post");

    private sealed class Crash(string step) : Exception($"crashed after {step}");

    [Fact]
    public async Task LargeCommit_NoCrash_IndexCompleteAndNoMarkerLeft()
    {
        var (tables, did, key, head) = await SeedAsync();
        var repos = new AzureRepoStore(tables.Repos);

        var result = await ApplyLargeAsync(repos, did, key, head);

        Assert.Equal(result.CommitCid, (await repos.GetHeadAsync(did))?.CommitCid);
        await AssertIndexMatchesTreeAsync(repos, did);
        var row = await tables.Repos.GetEntityAsync(RepoRows.Partition(did), RepoRows.Head);
        Assert.DoesNotContain("IndexBase", row!.Properties.Keys);
    }

    [Theory]
    [InlineData("blocks", false)]
    [InlineData("swap", true)]
    [InlineData("index", true)]
    [InlineData("done", true)]
    public async Task LargeCommit_CrashAfterStep_OldOrNewStateWithItsEvent(string step, bool landed)
    {
        var (tables, did, key, head) = await SeedAsync();
        var crashing = new AzureRepoStore(tables.Repos, new AzureRepoStoreOptions { OnCommitStep = s => { if (s == step) { throw new Crash(s); } } });

        await Assert.ThrowsAsync<Crash>(() => ApplyLargeAsync(crashing, did, key, head));

        var restarted = new AzureRepoStore(AzureTables.Reopen(azurite, tables.Repos), new AzureRepoStoreOptions { IndexRepairAfter = TimeSpan.Zero });
        var now = await restarted.GetHeadAsync(did);
        Assert.Equal(landed, now!.CommitCid != head.CommitCid);
        await AssertIndexMatchesTreeAsync(restarted, did);
        var log = new AzureEventLog(tables.Repos, tables.Events, TimeProvider.System);
        var pending = await log.GetPendingForAsync(did, 10);
        Assert.Equal(landed ? 1 : 0, pending.Count);
    }

    [Fact]
    public async Task SmallCommit_CrashAfterItsOneRequest_NewStateWithEvent()
    {
        var (tables, did, key, head) = await SeedAsync();
        var crashing = new AzureRepoStore(tables.Repos, new AzureRepoStoreOptions { OnCommitStep = s => throw new Crash(s) });
        var result = await RepoWriter.ApplyAsync(crashing.Blocks(did), did, head, [RepoWrite.Create(Post, RecordKey.Parse("single"), Record("single"))], key, Tids);

        await Assert.ThrowsAsync<Crash>(() => crashing.ApplyCommitAsync(did, ToCommitWrite(did, head, result)));

        var restarted = new AzureRepoStore(AzureTables.Reopen(azurite, tables.Repos));
        Assert.Equal(result.CommitCid, (await restarted.GetHeadAsync(did))?.CommitCid);
        await AssertIndexMatchesTreeAsync(restarted, did);
        Assert.Single(await new AzureEventLog(tables.Repos, tables.Events, TimeProvider.System).GetPendingForAsync(did, 10));
    }

    [Fact]
    public async Task LargeCommit_PendingMarkerFresh_NextWriterWaitsThenBuildsOnIt()
    {
        var (tables, did, key, head) = await SeedAsync();
        var crashing = new AzureRepoStore(tables.Repos, new AzureRepoStoreOptions { OnCommitStep = s => { if (s == "swap") { throw new Crash(s); } } });
        await Assert.ThrowsAsync<Crash>(() => ApplyLargeAsync(crashing, did, key, head));

        // A second process that waits at most a moment before judging the first one dead.
        var other = new AzureRepoStore(AzureTables.Reopen(azurite, tables.Repos), new AzureRepoStoreOptions { IndexRepairAfter = TimeSpan.FromMilliseconds(300) });
        var stored = await other.GetHeadAsync(did);
        var next = await RepoWriter.ApplyAsync(other.Blocks(did), did, new RepoHead(stored!.CommitCid, RepoCommit.Decode(stored.CommitBytes)),
            [RepoWrite.Delete(Post, RecordKey.Parse("big10"))], key, Tids);
        await other.ApplyCommitAsync(did, ToCommitWrite(did, new RepoHead(stored.CommitCid, RepoCommit.Decode(stored.CommitBytes)), next));

        await AssertIndexMatchesTreeAsync(other, did);
        Assert.Null(await other.GetRecordAsync(did, Post.ToString(), "big10"));
        Assert.NotNull(await other.GetRecordAsync(did, Post.ToString(), "big11"));
    }

    private static readonly TidGenerator Tids = TidGenerator.WithRandomClockId();

    private async Task<((TableClient Repos, TableClient Events) Tables, string Did, Keypair Key, RepoHead Head)> SeedAsync()
    {
        var tables = (await AzureTables.CreateAsync(azurite, "repos"), await AzureTables.CreateAsync(azurite, "events"));
        var did = TestIds.Did();
        var key = Keypair.Generate(KeyType.Secp256k1);
        var repos = new AzureRepoStore(tables.Item1);
        var writes = Enumerable.Range(0, 30).Select(i => RepoWrite.Create(Post, RecordKey.Parse("seed" + i), Record("seed" + i))).ToList();
        var result = await RepoWriter.ApplyAsync(repos.Blocks(did), did, null, writes, key, Tids);
        await repos.ApplyCommitAsync(did, ToCommitWrite(did, null, result) with { Event = null });
        return (tables, did, key, result.Head);
    }

    /// <summary>200 writes (the applyWrites maximum): far past one transaction.</summary>
    private static async Task<CommitResult> ApplyLargeAsync(AzureRepoStore repos, string did, Keypair key, RepoHead head)
    {
        var writes = Enumerable.Range(0, 180).Select(i => RepoWrite.Create(Post, RecordKey.Parse("big" + i), Record("big" + i)))
            .Concat(Enumerable.Range(0, 10).Select(i => RepoWrite.Delete(Post, RecordKey.Parse("seed" + i))))
            .Concat(Enumerable.Range(10, 10).Select(i => RepoWrite.Update(Post, RecordKey.Parse("seed" + i), Record("changed" + i))))
            .ToList();
        var result = await RepoWriter.ApplyAsync(repos.Blocks(did), did, head, writes, key, Tids);
        await repos.ApplyCommitAsync(did, ToCommitWrite(did, head, result));
        return result;
    }

    /// <summary>Both index directions hold exactly the tree's records with the tree's CIDs and bytes.</summary>
    private static async Task AssertIndexMatchesTreeAsync(IRepoStore repos, string did)
    {
        var head = await repos.GetHeadAsync(did);
        var tree = await Mst.LoadAsync(repos.Blocks(did), RepoCommit.Decode(head!.CommitBytes).Data);
        var expected = new List<(string, string)>();
        await foreach (var leaf in tree.ListPrefixAsync(Post + "/"))
        {
            expected.Add((leaf.Key[(Post.ToString().Length + 1)..], leaf.Value.ToString()));
        }
        var forward = await repos.ListRecordsAsync(did, Post.ToString(), 1000, null, reverse: false);
        var backward = await repos.ListRecordsAsync(did, Post.ToString(), 1000, null, reverse: true);
        Assert.Equal(expected, forward.Select(r => (r.Rkey, r.Cid.ToString())));
        Assert.Equal(Enumerable.Reverse(expected), backward.Select(r => (r.Rkey, r.Cid.ToString())));
        Assert.All(forward, r => Assert.True(r.Cid.Matches(r.Bytes)));
    }

    private static DataMap Record(string text) => DataMap.Create(
        ("$type", DataValue.Of("app.bsky.feed.post")), ("text", DataValue.Of(text)), ("createdAt", DataValue.Of("2026-01-02T03:04:05.678Z")));

    private static CommitWrite ToCommitWrite(string did, RepoHead? previous, CommitResult result)
    {
        var changes = result.Ops.Select(op =>
        {
            var slash = op.Path.IndexOf('/', StringComparison.Ordinal);
            return new RecordIndexChange(op.Path[..slash], op.Path[(slash + 1)..], op.Cid);
        }).ToList();
        var head = new StoredHead(did, result.CommitCid, result.Rev, result.Commit.Encode());
        var evt = new PendingEvent(Guid.NewGuid().ToString("N"), did, "#commit", result.Commit.Encode(), DateTimeOffset.UtcNow);
        return new CommitWrite(previous?.CommitCid, head, result.NewBlocks, changes, evt);
    }
}
