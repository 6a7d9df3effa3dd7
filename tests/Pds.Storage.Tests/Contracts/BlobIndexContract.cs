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
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/a", [present, absent]);
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/b", [temp, absent]);

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
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/a", cids);

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
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/a", [old, kept]);

        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/a", [kept, added]);

        Assert.False(await index.IsReferencedAsync(did, old));
        Assert.True(await index.IsReferencedAsync(did, kept));
        Assert.True(await index.IsReferencedAsync(did, added));
        Assert.False(await index.IsReferencedAsync(TestIds.Did(), kept));
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/a", []);
        Assert.False(await index.IsReferencedAsync(did, kept));
    }

    [Fact]
    public async Task IsReferenced_TwoRecordsShareBlob_StillReferencedAfterOneCleared()
    {
        var index = await CreateAsync();
        var did = TestIds.Did();
        var cid = NewCid();
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/a", [cid]);
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/b", [cid]);

        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/a", []);

        Assert.True(await index.IsReferencedAsync(did, cid));
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
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/a", [cid]);
        await index.SetRecordBlobsAsync(other, "app.bsky.feed.post/a", [cid]);

        await index.DeleteAllAsync(did);

        Assert.Null(await index.GetAsync(did, cid));
        Assert.False(await index.IsReferencedAsync(did, cid));
        Assert.Empty(await index.ListMissingAsync(did, 10, null));
        Assert.NotNull(await index.GetAsync(other, cid));
        Assert.True(await index.IsReferencedAsync(other, cid));
    }
}
