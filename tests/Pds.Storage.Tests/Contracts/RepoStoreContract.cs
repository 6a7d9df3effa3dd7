using Pds.Core.Ipld;
using Pds.Core.Storage;
using static Pds.Storage.Tests.Contracts.SyntheticCommits;

namespace Pds.Storage.Tests.Contracts;

/// <summary>What every <see cref="IRepoStore"/> must do. Each test works in its own fresh DIDs.</summary>
public abstract class RepoStoreContract : ContractTest
{
    private const string Post = "app.bsky.feed.post";
    private const string Like = "app.bsky.feed.like";

    /// <summary>A repo store and the event log whose outbox its commits write to.</summary>
    protected abstract Task<(IRepoStore Repos, IEventLog Events)> CreateAsync();

    private async Task<IRepoStore> ReposAsync() => (await CreateAsync()).Repos;

    [Fact]
    public async Task ApplyCommit_NewRepo_HeadRecordsAndBlocksReadable()
    {
        var repos = await ReposAsync();
        var did = TestIds.Did();
        var commit = Commit(did, null, (Post, "a", "one"), (Like, "b", "two"));

        await repos.ApplyCommitAsync(did, commit);

        var head = await repos.GetHeadAsync(did);
        Assert.NotNull(head);
        Assert.Equal((commit.Head.CommitCid, commit.Head.Rev), (head.CommitCid, head.Rev));
        Assert.Equal(commit.Head.CommitBytes, head.CommitBytes);
        var record = await repos.GetRecordAsync(did, Post, "a");
        Assert.NotNull(record);
        Assert.Equal((Post, "a", commit.Records[0].Cid), (record.Collection, record.Rkey, record.Cid));
        Assert.Equal(RecordBytes("one"), record.Bytes);
        foreach (var (cid, bytes) in commit.Blocks)
        {
            var block = await repos.Blocks(did).GetBlockAsync(cid);
            Assert.NotNull(block);
            Assert.Equal(bytes, block.Value.ToArray());
        }
    }

    [Fact]
    public async Task ApplyCommit_SecondCommit_UpdatesAndDeletesRecords()
    {
        var repos = await ReposAsync();
        var did = TestIds.Did();
        var first = Commit(did, null, (Post, "a", "one"), (Post, "b", "two"));
        await repos.ApplyCommitAsync(did, first);

        var second = Commit(did, first.Head, (Post, "a", "one, edited"), (Post, "b", null));
        await repos.ApplyCommitAsync(did, second);

        Assert.Equal(second.Head.CommitCid, (await repos.GetHeadAsync(did))?.CommitCid);
        Assert.Equal(RecordBytes("one, edited"), (await repos.GetRecordAsync(did, Post, "a"))?.Bytes);
        Assert.Null(await repos.GetRecordAsync(did, Post, "b"));
    }

    [Fact]
    public async Task ApplyCommit_WrongExpectedHead_ThrowsAndLeavesHeadRecordsAndOutbox()
    {
        var (repos, events) = await CreateAsync();
        var did = TestIds.Did();
        var first = Commit(did, null, (Post, "a", "one"));
        await repos.ApplyCommitAsync(did, first);
        var stale = Commit(did, null, (Post, "a", "other"));
        var second = Commit(did, first.Head, (Post, "b", "two"));
        await repos.ApplyCommitAsync(did, second);

        var error = await Assert.ThrowsAsync<HeadConflictException>(
            () => repos.ApplyCommitAsync(did, Commit(did, stale.Head, (Post, "a", null), (Post, "c", "three"))));

        Assert.Equal(did, error.Did);
        Assert.Equal(second.Head, await repos.GetHeadAsync(did), HeadComparer.Instance);
        Assert.Equal(RecordBytes("one"), (await repos.GetRecordAsync(did, Post, "a"))?.Bytes);
        Assert.Null(await repos.GetRecordAsync(did, Post, "c"));
        Assert.Equal(2, (await PendingForAsync(events, did)).Count);
    }

    [Fact]
    public async Task ApplyCommit_NewRepoWhenHeadExists_Throws()
    {
        var repos = await ReposAsync();
        var did = TestIds.Did();
        var first = Commit(did, null, (Post, "a", "one"));
        await repos.ApplyCommitAsync(did, first);

        await Assert.ThrowsAsync<HeadConflictException>(() => repos.ApplyCommitAsync(did, Commit(did, null, (Post, "b", "two"))));

        Assert.Equal(first.Head.CommitCid, (await repos.GetHeadAsync(did))?.CommitCid);
        Assert.Null(await repos.GetRecordAsync(did, Post, "b"));
    }

    [Fact]
    public async Task ApplyCommit_EightConcurrentOnSameHead_ExactlyOneWins()
    {
        var (repos, events) = await CreateAsync();
        var did = TestIds.Did();
        var first = Commit(did, null, (Post, "base", "base"));
        await repos.ApplyCommitAsync(did, first);
        var contenders = Enumerable.Range(0, 8).Select(i => Commit(did, first.Head, (Post, $"r{i}", $"text {i}"))).ToList();

        var outcomes = await Task.WhenAll(contenders.Select(c => Task.Run(async () =>
        {
            try
            {
                await repos.ApplyCommitAsync(did, c);
                return true;
            }
            catch (HeadConflictException)
            {
                return false;
            }
        })));

        Assert.Equal(1, outcomes.Count(won => won));
        var winner = contenders[Array.IndexOf(outcomes, true)];
        Assert.Equal(winner.Head.CommitCid, (await repos.GetHeadAsync(did))?.CommitCid);
        var records = await repos.ListRecordsAsync(did, Post, 100, null, reverse: false);
        Assert.Equal(["base", winner.Records[0].Rkey], records.Select(r => r.Rkey));
        var pending = await PendingForAsync(events, did);
        Assert.Equal([first.Event!.Id, winner.Event!.Id], pending.Select(p => p.Id));
    }

    [Fact]
    public async Task ApplyCommit_WithEvent_EventPendingWithTheCommit()
    {
        var (repos, events) = await CreateAsync();
        var did = TestIds.Did();
        var commit = Commit(did, null, (Post, "a", "one"));

        await repos.ApplyCommitAsync(did, commit);

        var pending = Assert.Single(await PendingForAsync(events, did));
        Assert.Equal((commit.Event!.Id, did, "#commit"), (pending.Id, pending.Did, pending.Type));
        Assert.Equal(commit.Event.Body, pending.Body);
        Assert.Equal(commit.Event.Time, pending.Time);
    }

    [Fact]
    public async Task ApplyCommit_SilentWrite_NoEvent()
    {
        var (repos, events) = await CreateAsync();
        var did = TestIds.Did();

        await repos.ApplyCommitAsync(did, SyntheticCommits.Commit(did, null, [(Post, "a", "one")], withEvent: false));

        Assert.NotNull(await repos.GetHeadAsync(did));
        Assert.Empty(await PendingForAsync(events, did));
    }

    [Fact]
    public async Task ListRecords_Forward_PagesByExclusiveCursor()
    {
        var (repos, did, rkeys) = await RepoWithRecordsAsync(7);

        var seen = await PageAllAsync(repos, did, reverse: false, pageSize: 3);

        Assert.Equal(rkeys, seen);
    }

    [Fact]
    public async Task ListRecords_Reverse_PagesByExclusiveCursor()
    {
        var (repos, did, rkeys) = await RepoWithRecordsAsync(7);

        var seen = await PageAllAsync(repos, did, reverse: true, pageSize: 3);

        Assert.Equal(rkeys.AsEnumerable().Reverse(), seen);
    }

    [Fact]
    public async Task ListRecords_CursorBetweenKeys_StartsAfterIt()
    {
        var (repos, did, _) = await RepoWithRecordsAsync(3);

        var forward = await repos.ListRecordsAsync(did, Post, 10, "k1a", reverse: false);
        var backward = await repos.ListRecordsAsync(did, Post, 10, "k1a", reverse: true);

        Assert.Equal(["k2"], forward.Select(r => r.Rkey));
        Assert.Equal(["k1", "k0"], backward.Select(r => r.Rkey));
    }

    [Fact]
    public async Task ListRecords_OtherCollectionsAndRepos_NotListed()
    {
        var repos = await ReposAsync();
        var did = TestIds.Did();
        var other = TestIds.Did();
        await repos.ApplyCommitAsync(did, Commit(did, null, (Post, "a", "mine"), (Like, "b", "like")));
        await repos.ApplyCommitAsync(other, Commit(other, null, (Post, "c", "theirs")));

        var records = await repos.ListRecordsAsync(did, Post, 10, null, reverse: false);

        Assert.Equal(["a"], records.Select(r => r.Rkey));
        Assert.Equal(RecordBytes("mine"), records[0].Bytes);
    }

    [Fact]
    public async Task ListCollections_SeveralRecords_DistinctAndSorted()
    {
        var repos = await ReposAsync();
        var did = TestIds.Did();
        await repos.ApplyCommitAsync(did, Commit(did, null, (Post, "a", "1"), (Like, "b", "2"), (Post, "c", "3")));

        Assert.Equal([Like, Post], await repos.ListCollectionsAsync(did));
    }

    [Fact]
    public async Task Snapshot_SinceRev_OnlyBlocksOfLaterCommits()
    {
        var repos = await ReposAsync();
        var did = TestIds.Did();
        var first = Commit(did, null, (Post, "a", "one"));
        await repos.ApplyCommitAsync(did, first);
        var second = Commit(did, first.Head, (Post, "b", "two"));
        await repos.ApplyCommitAsync(did, second);
        var third = Commit(did, second.Head, (Post, "c", "three"));
        await repos.ApplyCommitAsync(did, third);

        var since = (await Snapshots.ReadAsync(repos, did, first.Head.Rev))!.Value.Blocks;
        // The smallest TID: every commit is later. (These synthetic commits have no tree to walk,
        // so the full listing is covered with real trees in RepoWriterRoundTripContract.)
        var all = (await Snapshots.ReadAsync(repos, did, "2222222222222"))!.Value.Blocks;
        var none = (await Snapshots.ReadAsync(repos, did, third.Head.Rev))!.Value.Blocks;

        Assert.Equal(KeysOf(second, third), since.Keys.Order());
        Assert.Equal(KeysOf(first, second, third), all.Keys.Order());
        Assert.Empty(none);
        Assert.Equal(RecordBytes("three"), since[third.Records[0].Cid!]);
    }

    [Fact]
    public async Task ListHeads_SeveralRepos_PagesByDid()
    {
        var repos = await ReposAsync();
        var dids = Enumerable.Range(0, 5).Select(_ => TestIds.Did()).ToList();
        foreach (var did in dids)
        {
            await repos.ApplyCommitAsync(did, Commit(did, null, (Post, "a", did)));
        }

        var seen = (await Paging.AllAsync(2, (string?)null, c => repos.ListHeadsAsync(2, c), h => h.Did)).Select(h => h.Did).ToList();

        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
        Assert.Equal(dids.Order(StringComparer.Ordinal), seen.Where(dids.Contains));
    }

    [Fact]
    public async Task Blocks_AnotherReposBlock_NotVisible()
    {
        var repos = await ReposAsync();
        var did = TestIds.Did();
        var other = TestIds.Did();
        var theirs = Commit(other, null, (Post, "a", "theirs"));
        await repos.ApplyCommitAsync(other, theirs);

        Assert.Null(await repos.Blocks(did).GetBlockAsync(theirs.Head.CommitCid));
        Assert.NotNull(await repos.Blocks(other).GetBlockAsync(theirs.Head.CommitCid));
    }

    [Fact]
    public async Task Get_UnknownRepoOrRecord_ReturnsNull()
    {
        var repos = await ReposAsync();
        var did = TestIds.Did();

        Assert.Null(await repos.GetHeadAsync(did));
        Assert.Null(await repos.GetRecordAsync(did, Post, "a"));
        Assert.Empty(await repos.ListCollectionsAsync(did));
        Assert.Null(await Snapshots.ReadAsync(repos, did, null));
    }

    [Fact]
    public async Task DeleteRepo_Existing_RemovesHeadRecordsAndBlocks()
    {
        var repos = await ReposAsync();
        var did = TestIds.Did();
        var commit = Commit(did, null, (Post, "a", "one"));
        await repos.ApplyCommitAsync(did, commit);

        await repos.DeleteRepoAsync(did);

        Assert.Null(await repos.GetHeadAsync(did));
        Assert.Null(await repos.GetRecordAsync(did, Post, "a"));
        Assert.Null(await Snapshots.ReadAsync(repos, did, null));
        Assert.Null(await repos.Blocks(did).GetBlockAsync(commit.Head.CommitCid));
        await repos.ApplyCommitAsync(did, Commit(did, null, (Post, "b", "again")));
    }

    private static async Task<IReadOnlyList<PendingEvent>> PendingForAsync(IEventLog events, string did) =>
        (await events.GetPendingAsync(10_000)).Where(p => p.Did == did).ToList();

    private async Task<(IRepoStore Repos, string Did, List<string> Rkeys)> RepoWithRecordsAsync(int count)
    {
        var repos = await ReposAsync();
        var did = TestIds.Did();
        var rkeys = Enumerable.Range(0, count).Select(i => $"k{i}").ToList();
        // Written in shuffled order across two commits, so listing order cannot come from insertion.
        var shuffled = rkeys.OrderBy(_ => Guid.NewGuid()).ToList();
        var first = Commit(did, null, shuffled.Take(count / 2).Select(k => (Post, k, (string?)k)).ToList());
        await repos.ApplyCommitAsync(did, first);
        var second = Commit(did, first.Head, shuffled.Skip(count / 2).Select(k => (Post, k, (string?)k)).ToList());
        await repos.ApplyCommitAsync(did, second);
        await repos.ApplyCommitAsync(did, Commit(did, second.Head, (Like, "k9", "another collection")));
        return (repos, did, rkeys);
    }

    private static async Task<List<string>> PageAllAsync(IRepoStore repos, string did, bool reverse, int pageSize) =>
        (await Paging.AllAsync(pageSize, (string?)null, c => repos.ListRecordsAsync(did, Post, pageSize, c, reverse), r => r.Rkey))
            .Select(r => r.Rkey).ToList();

    private static IEnumerable<Cid> KeysOf(params CommitWrite[] commits) => commits.SelectMany(c => c.Blocks.Keys).Distinct().Order();

    private sealed class HeadComparer : IEqualityComparer<StoredHead?>
    {
        public static readonly HeadComparer Instance = new();

        public bool Equals(StoredHead? x, StoredHead? y) =>
            x is not null && y is not null && x.Did == y.Did && x.CommitCid == y.CommitCid && x.Rev == y.Rev
            && x.CommitBytes.AsSpan().SequenceEqual(y.CommitBytes);

        public int GetHashCode(StoredHead? obj) => obj?.CommitCid.GetHashCode() ?? 0;
    }
}
