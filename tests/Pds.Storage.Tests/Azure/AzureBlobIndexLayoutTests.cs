using Pds.Azure.Adapters.BlobIndex;
using Pds.Azure.Adapters.Tables;
using Pds.Azure.Storage;
using Pds.Core.Ipld;
using Pds.Core.Storage;
using Pds.Storage.Tests.Contracts;
using Pds.TestSupport;

namespace Pds.Storage.Tests.Azure;

/// <summary>
/// Beyond the contract for <see cref="AzureBlobIndex"/>: the temp-upload index (ordering, kept
/// creation time, stale entries), records referencing more blobs than one transaction holds, and
/// the rev rows behind listing by <c>since</c> (including records indexed before they existed).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobIndexLayoutTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Created = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(6);
    private const string Rev0 = "3aaaaaaaaaaa2";
    private const string Rev1 = "3aaaaaaaaaab2";
    private const string Rev2 = "3aaaaaaaaaac2";
    private const string Rev3 = "3aaaaaaaaaad2";

    private async Task<(AzureBlobIndex Index, TableClient Table)> NewAsync()
    {
        var table = await AzureTables.CreateAsync(azurite, "blobindex");
        return (new AzureBlobIndex(table), table);
    }

    private static Cid NewCid() => Cid.ForRaw(Guid.NewGuid().ToByteArray());

    private static BlobRecord Temp(string did, DateTimeOffset created) => new(did, NewCid(), "image/png", 10, "temp-" + TestIds.Random(8), created);

    [Fact]
    public async Task ListExpiredTemp_ManyAcrossAccounts_OldestFirstUpToLimit()
    {
        var (index, _) = await NewAsync();
        var blobs = Enumerable.Range(0, 40).Select(i => Temp(TestIds.Did(), Created.AddMinutes(40 - i))).ToList();
        await Task.WhenAll(blobs.Select(b => index.PutAsync(b)));

        var expired = await index.ListExpiredTempAsync(Created.AddDays(1), 25);

        Assert.Equal(blobs.OrderBy(b => b.CreatedAt).Take(25), expired);
    }

    [Fact]
    public async Task Put_TempAgainLater_KeepsFirstCreationTime()
    {
        var (index, _) = await NewAsync();
        var blob = Temp(TestIds.Did(), Created);
        await index.PutAsync(blob);

        await index.PutAsync(blob with { CreatedAt = Created.AddDays(5), TempKey = "temp-2" });

        Assert.Equal(blob with { TempKey = "temp-2" }, await index.GetAsync(blob.Did, blob.Cid));
        Assert.Equal([blob with { TempKey = "temp-2" }], await index.ListExpiredTempAsync(Created.AddDays(1), 10));
    }

    [Fact]
    public async Task ListExpiredTemp_MadePermanentOrDeleted_NotListedAndIndexEntryGone()
    {
        var (index, table) = await NewAsync();
        var did = TestIds.Did();
        var permanent = Temp(did, Created);
        var deleted = Temp(did, Created);
        var kept = Temp(did, Created);
        foreach (var b in new[] { permanent, deleted, kept })
        {
            await index.PutAsync(b);
        }
        await index.PutAsync(permanent with { TempKey = null });
        await index.DeleteAsync(did, deleted.Cid);

        Assert.Equal([kept], await index.ListExpiredTempAsync(Created.AddDays(1), 10));
        Assert.Equal(1, await CountTempEntriesAsync(table));
    }

    [Fact]
    public async Task ListExpiredTemp_StaleEntriesBeforeLiveOnes_SkippedAndRemoved()
    {
        var (index, table) = await NewAsync();
        var did = TestIds.Did();
        // Entries an interrupted upload or delete leaves: no blob row, or a blob that is now permanent.
        for (var i = 0; i < 30; i++)
        {
            await table.UpsertAsync(BlobIndexRows.TempIndexEntity(TestIds.Did(), NewCid(), Created.AddSeconds(-i)));
        }
        var nowPermanent = new BlobRecord(did, NewCid(), "image/png", 1, TempKey: null, Created);
        await index.PutAsync(nowPermanent);
        await table.UpsertAsync(BlobIndexRows.TempIndexEntity(did, nowPermanent.Cid, Created));
        var live = Temp(did, Created.AddMinutes(1));
        await index.PutAsync(live);

        Assert.Equal([live], await index.ListExpiredTempAsync(Created.AddDays(1), 1));
        Assert.Equal(1, await CountTempEntriesAsync(table));
    }

    /// <summary>Also by since: the record's rev row moves with it through the chunked path.</summary>
    [Fact]
    public async Task SetRecordBlobs_MoreThanOneTransaction_ReferencedListedAndReplaced()
    {
        var (index, table) = await NewAsync();
        var did = TestIds.Did();
        var cids = Enumerable.Range(0, 150).Select(_ => NewCid()).ToList();
        var all = cids.Select(c => c.ToString()).Order(StringComparer.Ordinal).ToList();

        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/many", cids, Rev1);

        Assert.True(await index.IsReferencedAsync(did, cids[0]));
        Assert.True(await index.IsReferencedAsync(did, cids[^1]));
        var missing = await Paging.AllAsync(40, (string?)null, c => index.ListMissingAsync(did, 40, c), m => (string?)m.Cid.ToString());
        Assert.Equal(all, missing.Select(m => m.Cid.ToString()));
        var since = await Paging.AllAsync(40, (string?)null, c => index.ListAsync(did, 40, c, Rev0), cid => (string?)cid.ToString());
        Assert.Equal(all, since.Select(c => c.ToString()));

        var kept = cids.Take(3).ToList();
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/many", kept, Rev2);

        var keptSorted = kept.Select(c => c.ToString()).Order(StringComparer.Ordinal).ToList();
        Assert.False(await index.IsReferencedAsync(did, cids[^1]));
        Assert.Equal(keptSorted, (await index.ListMissingAsync(did, 10, null)).Select(m => m.Cid.ToString()));
        Assert.Equal(keptSorted, (await index.ListAsync(did, 10, null, Rev1)).Select(c => c.ToString()));
        Assert.Empty(await index.ListAsync(did, 10, null, Rev2));
        // One rev row for the record: the one under Rev1 went with the move.
        Assert.Equal(1, await CountRowsAsync(table, BlobIndexRows.Partition(did), BlobIndexRows.RevPrefix));
    }

    /// <summary>
    /// Record rows from before rev rows: the first listing by since gives them a rev row that every
    /// since lists, under the row's ETag; a later write moves them to their real rev.
    /// </summary>
    [Fact]
    public async Task ListSince_RecordsIndexedBeforeRevRows_ListedForAnySinceUntilRewritten()
    {
        var (index, table) = await NewAsync();
        var did = TestIds.Did();
        var partition = BlobIndexRows.Partition(did);
        var (legacy, fresh) = (NewCid(), NewCid());
        // As the code before rev rows wrote them: a record row without a rev, and its reference row.
        await table.InsertAsync(BlobIndexRows.RecordEntity(partition, "app.bsky.feed.post/old", [legacy.ToString()], rev: null));
        await table.InsertAsync(BlobIndexRows.RefEntity(partition, legacy.ToString(), "app.bsky.feed.post/old"));
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/new", [fresh], Rev1);

        Assert.Equal([legacy], await index.ListAsync(did, 10, null, Rev2));
        Assert.NotNull(await table.GetEntityAsync(partition, BlobIndexRows.RevsIndexedKey));
        Assert.Equal([legacy], await index.ListAsync(did, 10, null, Rev2));
        Assert.Equal(new[] { legacy, fresh }.OrderBy(c => c.ToString(), StringComparer.Ordinal), await index.ListAsync(did, 10, null, Rev0));

        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/old", [legacy], Rev1);

        Assert.Empty(await index.ListAsync(did, 10, null, Rev2));
        Assert.True(await index.IsReferencedAsync(did, legacy));
        Assert.Equal(2, await CountRowsAsync(table, partition, BlobIndexRows.RevPrefix));
    }

    [Fact]
    public async Task ListMissing_ManyPresentFewMissing_OnlyMissingWithLeastPath()
    {
        var (index, _) = await NewAsync();
        var did = TestIds.Did();
        var present = Enumerable.Range(0, 60).Select(_ => NewCid()).ToList();
        var absent = NewCid();
        await Task.WhenAll(present.Select(c => index.PutAsync(new BlobRecord(did, c, "image/png", 1, null, Created))));
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/b", [.. present, absent], Rev1);
        await index.SetRecordBlobsAsync(did, "app.bsky.feed.post/a", [absent], Rev1);

        var missing = await index.ListMissingAsync(did, 10, null);

        Assert.Equal([(absent, "app.bsky.feed.post/a")], missing);
    }

    private static async Task<int> CountRowsAsync(TableClient table, string partition, string prefix)
    {
        var count = 0;
        await foreach (var _ in table.QueryAsync(new TableQuery(TableRange.From(partition, prefix))))
        {
            count++;
        }
        return count;
    }

    private static async Task<int> CountTempEntriesAsync(TableClient table)
    {
        var count = 0;
        await foreach (var _ in table.QueryAsync(new TableQuery(TableFilter.PartitionKeyEquals(BlobIndexRows.TempPartition))))
        {
            count++;
        }
        return count;
    }
}
