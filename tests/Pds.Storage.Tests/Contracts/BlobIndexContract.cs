using Pds.Core.Ipld;
using Pds.Core.Storage;

namespace Pds.Storage.Tests.Contracts;

/// <summary>What every <see cref="IBlobIndex"/> must do. Each test uses its own DIDs.</summary>
public abstract class BlobIndexContract : ContractTest
{
    private static readonly DateTimeOffset Created = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(6);

    protected abstract Task<IBlobIndex> CreateAsync();

    private static Cid NewCid() => Cid.ForRaw(Guid.NewGuid().ToByteArray());

    private static BlobRecord Permanent(string did, Cid cid) => new(did, cid, "image/png", 1234, TempKey: null, Created);

    // Revs are TIDs, which order as strings.
    private const string Rev0 = "3aaaaaaaaaaa2";
    private const string Rev1 = "3aaaaaaaaaab2";
    private const string Rev2 = "3aaaaaaaaaac2";
    private const string Rev3 = "3aaaaaaaaaad2";
    private const string Rev4 = "3aaaaaaaaaae2";

    private static List<Cid> Sorted(params Cid[] cids) => [.. cids.OrderBy(c => c.ToString(), StringComparer.Ordinal)];

    [Fact]
    public async Task ListExpiredTemp_ReturnsOnlyOldTemporaryUploads()
    {
        var index = await CreateAsync();
        var did = TestIds.Did();
        var old = new BlobRecord(did, NewCid(), "image/png", 1, "old-temp", Created);
        var fresh = new BlobRecord(did, NewCid(), "image/png", 1, "fresh-temp", Created.AddDays(2));
        var permanent = Permanent(did, NewCid());
        foreach (var b in new[] { old, fresh, permanent })
        {
            await index.PutAsync(b);
        }

        var expired = await index.ListExpiredTempAsync(Created.AddDays(1), 100);

        Assert.Contains(old, expired);
        Assert.DoesNotContain(fresh, expired);
        Assert.DoesNotContain(permanent, expired);
    }

    [Fact]
    public async Task Put_ThenGet_SameRecord()
    {
        var index = await CreateAsync();
        var did = TestIds.Did();
        var blob = new BlobRecord(did, NewCid(), "image/jpeg", 42, "temp-key", Created);

        await index.PutAsync(blob);

        Assert.Equal(blob, await index.GetAsync(did, blob.Cid));
        Assert.Null(await index.GetAsync(TestIds.Did(), blob.Cid));
    }

    [Fact]
    public async Task Put_AgainWithoutTempKey_MadePermanent()
    {
        var index = await CreateAsync();
        var did = TestIds.Did();
        var blob = new BlobRecord(did, NewCid(), "image/jpeg", 42, "temp-key", Created);
        await index.PutAsync(blob);
        Assert.Empty(await index.ListAsync(did, 10, null));

        await index.PutAsync(blob with { TempKey = null });

        Assert.Null((await index.GetAsync(did, blob.Cid))?.TempKey);
        Assert.Equal([blob.Cid], await index.ListAsync(did, 10, null));
    }

    [Fact]
    public async Task List_SeveralPermanent_PagesByCidString()
    {
        var index = await CreateAsync();
        var did = TestIds.Did();
        var cids = Enumerable.Range(0, 5).Select(_ => NewCid()).ToList();
        foreach (var cid in cids)
        {
            await index.PutAsync(Permanent(did, cid));
        }
        await index.PutAsync(Permanent(TestIds.Did(), NewCid()));

        var seen = await Paging.AllAsync(2, (string?)null, c => index.ListAsync(did, 2, c), cid => (string?)cid.ToString());

        Assert.Equal(cids.Select(c => c.ToString()).Order(StringComparer.Ordinal), seen.Select(c => c.ToString()));
    }

    [Fact]
    public async Task ListMissing_ReferencedButNeverMadePermanent_Listed()
    {
        var index = await CreateAsync();
        var did = TestIds.Did();
        var (present, temp, absent) = (NewCid(), NewCid(), NewCid());
        await index.PutAsync(Permanent(did, present));
        await index.PutAsync(Permanent(did, temp) with { TempKey = "temp-key" });
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/a", [present, absent], Rev1);
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/b", [temp, absent], Rev1);

        var missing = await index.ListMissingAsync(did, 10, null);

        var expected = new[] { (absent, "app.bsky.feed.post/a"), (temp, "app.bsky.feed.post/b") }
            .OrderBy(m => m.Item1.ToString(), StringComparer.Ordinal);
        Assert.Equal(expected.Select(m => m.Item1), missing.Select(m => m.Cid));
        Assert.Contains(missing.Single(m => m.Cid == absent).RecordPath, new[] { "app.bsky.feed.post/a", "app.bsky.feed.post/b" });
        Assert.Equal("app.bsky.feed.post/b", missing.Single(m => m.Cid == temp).RecordPath);
    }

    [Fact]
    public async Task ListMissing_Paged_CursorIsCidString()
    {
        var index = await CreateAsync();
        var did = TestIds.Did();
        var cids = Enumerable.Range(0, 5).Select(_ => NewCid()).ToList();
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/a", cids, Rev1);

        var first = await index.ListMissingAsync(did, 3, null);
        var rest = await index.ListMissingAsync(did, 3, first[^1].Cid.ToString());

        Assert.Equal(cids.Select(c => c.ToString()).Order(StringComparer.Ordinal), first.Concat(rest).Select(m => m.Cid.ToString()));
    }

    [Fact]
    public async Task SetRecordBlobs_Replaced_OnlyNewReferencesCount()
    {
        var index = await CreateAsync();
        var did = TestIds.Did();
        var (old, kept, added) = (NewCid(), NewCid(), NewCid());
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/a", [old, kept], Rev1);

        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/a", [kept, added], Rev1);

        Assert.False(await index.IsReferencedAsync(did, old));
        Assert.True(await index.IsReferencedAsync(did, kept));
        Assert.True(await index.IsReferencedAsync(did, added));
        Assert.False(await index.IsReferencedAsync(TestIds.Did(), kept));
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/a", [], Rev1);
        Assert.False(await index.IsReferencedAsync(did, kept));
    }

    [Fact]
    public async Task IsReferenced_TwoRecordsShareBlob_StillReferencedAfterOneCleared()
    {
        var index = await CreateAsync();
        var did = TestIds.Did();
        var cid = NewCid();
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/a", [cid], Rev1);
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/b", [cid], Rev1);

        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/a", [], Rev1);

        Assert.True(await index.IsReferencedAsync(did, cid));
    }

    [Fact]
    public async Task ListSince_RecordsWrittenAfterTheRev_DistinctCidsPaged()
    {
        var index = await CreateAsync();
        var did = TestIds.Did();
        var (early, shared, later, last) = (NewCid(), NewCid(), NewCid(), NewCid());
        // Listed whether or not the bytes are here: only "early" has a blob row.
        await index.PutAsync(Permanent(did, early));
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/a", [early, shared], Rev1);
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/b", [later, shared], Rev2);
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/c", [last], Rev3);
        await index.SetRecordBlobsAsync(TestIds.Did(), "app.bsky.feed.post/d", [NewCid()], Rev3);

        Assert.Equal(Sorted(early, shared, later, last), await index.ListAsync(did, 10, null, Rev0));
        Assert.Equal(Sorted(shared, later, last), await index.ListAsync(did, 10, null, Rev1));
        Assert.Equal([last], await index.ListAsync(did, 10, null, Rev2));
        Assert.Empty(await index.ListAsync(did, 10, null, Rev3));
        var paged = await Paging.AllAsync(2, (string?)null, c => index.ListAsync(did, 2, c, Rev0), cid => (string?)cid.ToString());
        Assert.Equal(Sorted(early, shared, later, last), paged);
        // Without since: the permanent blobs, as before.
        Assert.Equal([early], await index.ListAsync(did, 10, null));
    }

    [Fact]
    public async Task ListSince_RecordRewritten_ListedUnderItsLatestRevOnly()
    {
        var index = await CreateAsync();
        var did = TestIds.Did();
        var (same, dropped, added, deleted) = (NewCid(), NewCid(), NewCid(), NewCid());
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/same", [same], Rev1);
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/changed", [dropped, same], Rev1);
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/deleted", [deleted], Rev1);

        // Rewritten with the same blobs, with other blobs, and deleted.
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/same", [same], Rev3);
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/changed", [added], Rev3);
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/deleted", [], Rev3);

        Assert.Equal(Sorted(same, added), await index.ListAsync(did, 10, null, Rev2));
        Assert.Equal(Sorted(same, added), await index.ListAsync(did, 10, null, Rev0));
        Assert.Empty(await index.ListAsync(did, 10, null, Rev3));
        // Written again by the same commit (a retry): nothing moves.
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/same", [same], Rev3);
        Assert.Equal(Sorted(same, added), await index.ListAsync(did, 10, null, Rev2));
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/same", [], Rev4);
        Assert.Equal([added], await index.ListAsync(did, 10, null, Rev2));
    }

    [Fact]
    public async Task Delete_OneBlob_OthersRemain()
    {
        var index = await CreateAsync();
        var did = TestIds.Did();
        var (gone, kept) = (NewCid(), NewCid());
        await index.PutAsync(Permanent(did, gone));
        await index.PutAsync(Permanent(did, kept));

        await index.DeleteAsync(did, gone);

        Assert.Null(await index.GetAsync(did, gone));
        Assert.Equal([kept], await index.ListAsync(did, 10, null));
    }

    [Fact]
    public async Task DeleteAll_Account_BlobsAndReferencesGoneOthersKept()
    {
        var index = await CreateAsync();
        var did = TestIds.Did();
        var other = TestIds.Did();
        var cid = NewCid();
        await index.PutAsync(Permanent(did, cid));
        await index.PutAsync(Permanent(other, cid));
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/a", [cid], Rev1);
        await index.SetRecordBlobsAsync(other, "app.bsky.feed.post/a", [cid], Rev1);

        await index.DeleteAllAsync(did);

        Assert.Null(await index.GetAsync(did, cid));
        Assert.False(await index.IsReferencedAsync(did, cid));
        Assert.Empty(await index.ListMissingAsync(did, 10, null));
        Assert.NotNull(await index.GetAsync(other, cid));
        Assert.True(await index.IsReferencedAsync(other, cid));
    }
}
