using Pds.Azure.Storage;
using Pds.TestSupport;

namespace Pds.Azure.Tests.Storage;

public sealed class TableClientTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private async Task<TableClient> NewTableAsync(TableSharedKeyScheme scheme = TableSharedKeyScheme.SharedKeyLite)
    {
        var table = new TableClient(azurite.Connection, AzuriteFixture.UniqueName("t"), new StorageClientOptions { TableSharedKeyScheme = scheme });
        Assert.True(await table.CreateIfNotExistsAsync());
        return table;
    }

    [Fact]
    public async Task CreateIfNotExists_SecondCall_ReturnsFalse()
    {
        var table = await NewTableAsync();
        Assert.False(await table.CreateIfNotExistsAsync());
    }

    [Theory]
    [InlineData(TableSharedKeyScheme.SharedKeyLite)]
    [InlineData(TableSharedKeyScheme.SharedKey)]
    public async Task InsertThenGet_AllPropertyTypes_RoundTrip(TableSharedKeyScheme scheme)
    {
        var table = await NewTableAsync(scheme);
        var at = new DateTimeOffset(2026, 11, 22, 2, 4, 43, TimeSpan.Zero).AddTicks(1234567);
        var id = Guid.NewGuid();
        var entity = new TableEntity("did:plc:abc", "app.bsky.feed.post!3k2a")
            .Set("Text", "héllo ✓ \"quoted\"")
            .Set("Flag", true)
            .Set("N", 42)
            .Set("Big", 9007199254740993L)
            .Set("Small", 7L)
            .Set("Ratio", 0.25)
            .Set("Whole", 2.0)
            .Set("Block", new byte[] { 1, 0x71, 0x12, 0x20 })
            .Set("At", at)
            .Set("Id", id);

        var etag = await table.InsertAsync(entity);
        var read = await table.GetEntityAsync("did:plc:abc", "app.bsky.feed.post!3k2a");

        Assert.NotNull(etag);
        Assert.NotNull(read);
        Assert.Equal(etag, read.ETag);
        Assert.NotNull(read.Timestamp);
        Assert.Equal("héllo ✓ \"quoted\"", read.GetString("Text"));
        Assert.True(read.GetBoolean("Flag"));
        Assert.Equal(42, read.GetInt32("N"));
        Assert.Equal(9007199254740993L, read.GetInt64("Big"));
        Assert.Equal(7L, read.GetInt64("Small"));
        Assert.Equal(0.25, read.GetDouble("Ratio"));
        Assert.Equal(2.0, read.GetDouble("Whole"));
        Assert.Equal(new byte[] { 1, 0x71, 0x12, 0x20 }, read.GetBinary("Block"));
        Assert.Equal(at, read.GetDateTimeOffset("At"));
        Assert.Equal(id, read.GetGuid("Id"));
    }

    [Fact]
    public async Task GetEntity_Missing_ReturnsNull()
    {
        var table = await NewTableAsync();
        Assert.Null(await table.GetEntityAsync("p", "nothing"));
    }

    [Fact]
    public async Task Insert_Existing_ThrowsConflict()
    {
        var table = await NewTableAsync();
        await table.InsertAsync(new TableEntity("p", "r"));
        var e = await Assert.ThrowsAsync<StorageConflictException>(() => table.InsertAsync(new TableEntity("p", "r")));
        Assert.Equal(409, e.Status);
        Assert.Equal("EntityAlreadyExists", e.ErrorCode);
    }

    [Fact]
    public async Task Upsert_ReplaceDropsProperties_MergeKeepsThem()
    {
        var table = await NewTableAsync();
        await table.UpsertAsync(new TableEntity("p", "r").Set("A", 1).Set("B", "b"));
        await table.UpsertAsync(new TableEntity("p", "r").Set("A", 2));
        var replaced = await table.GetEntityAsync("p", "r");
        Assert.Equal(2, replaced!.GetInt32("A"));
        Assert.Null(replaced["B"]);

        await table.UpsertAsync(new TableEntity("p", "r").Set("B", "again"), TableUpdateMode.Merge);
        var merged = await table.GetEntityAsync("p", "r");
        Assert.Equal(2, merged!.GetInt32("A"));
        Assert.Equal("again", merged.GetString("B"));
    }

    [Fact]
    public async Task Update_StaleETag_ThrowsConcurrency_CurrentETagSucceeds()
    {
        var table = await NewTableAsync();
        var first = await table.InsertAsync(new TableEntity("p", "r").Set("V", 1));
        var second = await table.UpdateAsync(new TableEntity("p", "r").Set("V", 2), first!);
        Assert.NotEqual(first, second);

        var e = await Assert.ThrowsAsync<StorageConcurrencyException>(
            () => table.UpdateAsync(new TableEntity("p", "r").Set("V", 3), first!, TableUpdateMode.Merge));
        Assert.Equal(412, e.Status);
        Assert.True(e.IsPreconditionFailed);

        await table.UpdateAsync(new TableEntity("p", "r").Set("W", 4), second!, TableUpdateMode.Merge);
        var read = await table.GetEntityAsync("p", "r");
        Assert.Equal(2, read!.GetInt32("V"));
        Assert.Equal(4, read.GetInt32("W"));
    }

    [Fact]
    public async Task Update_Missing_ThrowsNotFound()
    {
        var table = await NewTableAsync();
        var e = await Assert.ThrowsAsync<StorageNotFoundException>(() => table.UpdateAsync(new TableEntity("p", "absent"), "*"));
        Assert.True(e.IsNotFound);
    }

    [Fact]
    public async Task Delete_StaleETag_Throws412_ThenDeletes_ThenNotFound()
    {
        var table = await NewTableAsync();
        var first = await table.InsertAsync(new TableEntity("p", "r").Set("V", 1));
        var second = await table.UpsertAsync(new TableEntity("p", "r").Set("V", 2));

        await Assert.ThrowsAsync<StorageConcurrencyException>(() => table.DeleteAsync("p", "r", first!));
        await table.DeleteAsync("p", "r", second!);
        Assert.Null(await table.GetEntityAsync("p", "r"));
        await Assert.ThrowsAsync<StorageNotFoundException>(() => table.DeleteAsync("p", "r"));
    }

    [Fact]
    public async Task Query_FilterSelectTop_PagesWithContinuation()
    {
        var table = await NewTableAsync();
        for (var i = 0; i < 25; i++)
        {
            await table.InsertAsync(new TableEntity("p", $"row{i:D3}").Set("I", i).Set("Extra", "x"));
        }
        await table.InsertAsync(new TableEntity("other", "row000").Set("I", -1));

        var query = new TableQuery(TableFilter.PartitionKeyEquals("p"), ["PartitionKey", "RowKey", "I"], Top: 10);
        var pages = new List<TablePage>();
        TableContinuationToken? continuation = null;
        do
        {
            var page = await table.QueryPageAsync(query, continuation);
            pages.Add(page);
            continuation = page.Continuation;
        }
        while (continuation is not null);

        var rows = pages.SelectMany(p => p.Entities).ToList();
        Assert.Equal(Enumerable.Range(0, 25), rows.Select(r => r.GetInt32("I")!.Value));
        Assert.True(pages.Count >= 3);
        Assert.All(pages.Take(pages.Count - 1), p => Assert.NotNull(p.Continuation));
        Assert.All(rows, r => Assert.Null(r["Extra"]));
        Assert.All(rows, r => Assert.NotNull(r.ETag));
    }

    [Fact]
    public async Task QueryAsync_MoreThan1000Entities_FollowsContinuation()
    {
        var table = await NewTableAsync();
        for (var start = 0; start < 1100; start += 100)
        {
            await table.SubmitTransactionAsync(Enumerable.Range(start, 100)
                .Select(i => TableTransactionAction.Insert(new TableEntity("bulk", $"{i:D5}"))).ToList());
        }
        table.Requests.Reset();

        var count = 0;
        await foreach (var _ in table.QueryAsync(new TableQuery(TableFilter.PartitionKeyEquals("bulk"))))
        {
            count++;
        }

        Assert.Equal(1100, count);
        Assert.Equal(2, table.Requests.Count);
    }

    [Fact]
    public async Task Query_RowKeyPrefix_ReturnsOnlyThePrefix()
    {
        var table = await NewTableAsync();
        foreach (var rk in new[] { "app.bsky.feed.like!1", "app.bsky.feed.post!1", "app.bsky.feed.post!2", "app.bsky.feed.postgate!1" })
        {
            await table.InsertAsync(new TableEntity("did:plc:abc", rk));
        }
        var rows = new List<string>();
        await foreach (var e in table.QueryAsync(new TableQuery(TableFilter.RowKeyPrefix("did:plc:abc", "app.bsky.feed.post!"))))
        {
            rows.Add(e.RowKey);
        }
        Assert.Equal(["app.bsky.feed.post!1", "app.bsky.feed.post!2"], rows);
    }

    [Theory]
    [InlineData("at://did:plc:abc/app.bsky.feed.post/3k2a")]
    [InlineData("O'Brien's #1 question?")]
    [InlineData("back\\slash and 100% and %2F")]
    [InlineData("tab\there\u0001\u007f\u009f")]
    [InlineData("ünïcødé / ✓")]
    [InlineData("'")]
    public async Task EncodedKeys_RoundTripThroughRealEntities(string raw)
    {
        var table = await NewTableAsync();
        var pk = TableKey.Encode(raw);
        var rk = TableKey.Encode(raw + "!rk");
        await table.InsertAsync(new TableEntity(pk, rk).Set("Raw", raw));

        var read = await table.GetEntityAsync(pk, rk);
        Assert.NotNull(read);
        Assert.Equal(raw, TableKey.Decode(read.PartitionKey));
        Assert.Equal(raw + "!rk", TableKey.Decode(read.RowKey));

        var queried = new List<TableEntity>();
        await foreach (var e in table.QueryAsync(new TableQuery(TableFilter.PartitionKeyEquals(pk))))
        {
            queried.Add(e);
        }
        Assert.Equal(raw, Assert.Single(queried).GetString("Raw"));

        await table.UpdateAsync(new TableEntity(pk, rk).Set("Raw", "updated"), read.ETag!);
        await table.DeleteAsync(pk, rk);
        Assert.Null(await table.GetEntityAsync(pk, rk));
    }

    [Fact]
    public async Task BinaryProperty_AtLimit_Stored_OverLimit_RejectedBeforeSending()
    {
        var table = await NewTableAsync();
        var max = new byte[TableLimits.MaxBinaryBytes];
        new Random(7).NextBytes(max);
        await table.InsertAsync(new TableEntity("p", "max").Set("B", max));
        Assert.Equal(max, (await table.GetEntityAsync("p", "max"))!.GetBinary("B"));

        table.Requests.Reset();
        var e = await Assert.ThrowsAsync<TableLimitException>(
            () => table.InsertAsync(new TableEntity("p", "over").Set("B", new byte[TableLimits.MaxBinaryBytes + 1])));
        Assert.Contains("'B'", e.Message);
        Assert.Equal(0, table.Requests.Count);
    }

    [Fact]
    public async Task Entity_JustUnder1MiB_Stored_Over1MiB_Rejected()
    {
        var table = await NewTableAsync();
        var under = new TableEntity("p", "under");
        for (var i = 0; i < 15; i++)
        {
            under.Set($"B{i}", new byte[TableLimits.MaxBinaryBytes]);
        }
        Assert.True(TableLimits.EntitySize(under) < TableLimits.MaxEntityBytes);
        await table.InsertAsync(under);
        Assert.Equal(15, (await table.GetEntityAsync("p", "under"))!.Properties.Count);

        var over = new TableEntity("p", "over");
        for (var i = 0; i < 16; i++)
        {
            over.Set($"B{i}", new byte[TableLimits.MaxBinaryBytes]);
        }
        var e = await Assert.ThrowsAsync<TableLimitException>(() => table.UpsertAsync(over));
        Assert.Contains("1 MiB", e.Message);
    }
}
