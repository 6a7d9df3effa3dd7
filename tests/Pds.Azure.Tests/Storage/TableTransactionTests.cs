using Pds.Azure.Storage;
using Pds.TestSupport;

namespace Pds.Azure.Tests.Storage;

/// <summary>Entity group transactions ($batch) against Azurite.</summary>
public sealed class TableTransactionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private async Task<TableClient> NewTableAsync(TableSharedKeyScheme scheme = TableSharedKeyScheme.SharedKeyLite)
    {
        var table = new TableClient(azurite.Connection, AzuriteFixture.UniqueName("tx"), new StorageClientOptions { TableSharedKeyScheme = scheme });
        await table.CreateIfNotExistsAsync();
        return table;
    }

    private static async Task<List<string>> RowKeysAsync(TableClient table, string pk)
    {
        var rows = new List<string>();
        await foreach (var e in table.QueryAsync(new TableQuery(TableFilter.PartitionKeyEquals(pk))))
        {
            rows.Add(e.RowKey);
        }
        return rows;
    }

    [Theory]
    [InlineData(TableSharedKeyScheme.SharedKeyLite)]
    [InlineData(TableSharedKeyScheme.SharedKey)]
    public async Task Submit_MixedActions_AllCommitted_OneRoundTrip(TableSharedKeyScheme scheme)
    {
        var table = await NewTableAsync(scheme);
        var zEtag = await table.InsertAsync(new TableEntity("p1", "z").Set("V", 0));
        await table.InsertAsync(new TableEntity("p1", "m").Set("V", 1).Set("Keep", "yes"));
        var uEtag = await table.InsertAsync(new TableEntity("p1", "u").Set("V", 1));
        table.Requests.Reset();

        var results = await table.SubmitTransactionAsync(
        [
            TableTransactionAction.Insert(new TableEntity("p1", "a").Set("V", 1).Set("Block", new byte[] { 1, 2, 3 })),
            TableTransactionAction.Upsert(new TableEntity("p1", "c").Set("V", 3)),
            TableTransactionAction.Upsert(new TableEntity("p1", "m").Set("V", 2), TableUpdateMode.Merge),
            TableTransactionAction.Update(new TableEntity("p1", "u").Set("V", 2), uEtag),
            TableTransactionAction.Delete("p1", "z", zEtag!),
        ]);

        Assert.Equal(1, table.Requests.Count);
        Assert.Equal(5, results.Count);
        Assert.All(results.Take(4), r => Assert.NotNull(r.ETag));
        Assert.All(results, r => Assert.InRange(r.Status, 200, 299));
        Assert.Equal(["a", "c", "m", "u"], await RowKeysAsync(table, "p1"));
        var a = await table.GetEntityAsync("p1", "a");
        Assert.Equal(results[0].ETag, a!.ETag);
        Assert.Equal(new byte[] { 1, 2, 3 }, a.GetBinary("Block"));
        var m = await table.GetEntityAsync("p1", "m");
        Assert.Equal("yes", m!.GetString("Keep"));
        Assert.Equal(2, m.GetInt32("V"));
    }

    [Fact]
    public async Task Submit_ConflictingInsertAtIndex2_NothingCommitted_IndexReported()
    {
        var table = await NewTableAsync();
        await table.InsertAsync(new TableEntity("p", "c").Set("V", "original"));

        var e = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            TableTransactionAction.Insert(new TableEntity("p", "a")),
            TableTransactionAction.Upsert(new TableEntity("p", "b")),
            TableTransactionAction.Insert(new TableEntity("p", "c").Set("V", "replaced?")),
            TableTransactionAction.Insert(new TableEntity("p", "d")),
        ]));

        Assert.Equal(2, e.FailedActionIndex);
        Assert.Equal(409, e.Status);
        Assert.True(e.IsConflict);
        Assert.Equal("EntityAlreadyExists", e.ErrorCode);
        Assert.Contains("nothing was committed", e.Message);
        Assert.Equal(["c"], await RowKeysAsync(table, "p"));
        Assert.Equal("original", (await table.GetEntityAsync("p", "c"))!.GetString("V"));
    }

    [Fact]
    public async Task Submit_StaleETag_Fails412_NothingCommitted()
    {
        var table = await NewTableAsync();
        var stale = await table.InsertAsync(new TableEntity("p", "x").Set("V", 1));
        await table.UpsertAsync(new TableEntity("p", "x").Set("V", 2));

        var e = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            TableTransactionAction.Insert(new TableEntity("p", "new")),
            TableTransactionAction.Update(new TableEntity("p", "x").Set("V", 3), stale),
        ]));

        Assert.Equal(412, e.Status);
        Assert.Equal(1, e.FailedActionIndex);
        Assert.Equal(["x"], await RowKeysAsync(table, "p"));
    }

    [Fact]
    public async Task Submit_100Actions_Accepted_101Rejected_BeforeSending()
    {
        var table = await NewTableAsync();
        var hundred = Enumerable.Range(0, 100).Select(i => TableTransactionAction.Insert(new TableEntity("p", $"r{i:D3}"))).ToList();
        Assert.Equal(100, (await table.SubmitTransactionAsync(hundred)).Count);

        table.Requests.Reset();
        var more = Enumerable.Range(0, 101).Select(i => TableTransactionAction.Insert(new TableEntity("q", $"r{i:D3}"))).ToList();
        await Assert.ThrowsAsync<TableLimitException>(() => table.SubmitTransactionAsync(more));
        Assert.Equal(0, table.Requests.Count);
    }

    [Fact]
    public async Task Submit_TwoPartitionsOrDuplicateRow_RejectedBeforeSending()
    {
        var table = await NewTableAsync();
        table.Requests.Reset();
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(
            [TableTransactionAction.Insert(new TableEntity("p", "a")), TableTransactionAction.Insert(new TableEntity("q", "b"))]));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(
            [TableTransactionAction.Insert(new TableEntity("p", "a")), TableTransactionAction.Delete("p", "a")]));
        Assert.Equal(0, table.Requests.Count);
    }

    [Fact]
    public async Task Submit_Over4MiB_RejectedBeforeSending()
    {
        var table = await NewTableAsync();
        // 70 entities of ~64 KiB binary: each under 1 MiB, the body (base64) well over 4 MiB.
        var actions = Enumerable.Range(0, 70)
            .Select(i => TableTransactionAction.Insert(new TableEntity("p", $"r{i}").Set("B", new byte[60_000])))
            .ToList();
        table.Requests.Reset();
        var e = await Assert.ThrowsAsync<TableLimitException>(() => table.SubmitTransactionAsync(actions));
        Assert.Contains("4 MiB", e.Message);
        Assert.Equal(0, table.Requests.Count);
    }

    [Fact]
    public async Task Submit_EncodedKeysWithQuotes_RoundTrip()
    {
        var table = await NewTableAsync();
        var pk = TableKey.Encode("at://did:plc:x/O'Neil");
        var results = await table.SubmitTransactionAsync(
        [
            TableTransactionAction.Insert(new TableEntity(pk, TableKey.Encode("a/b'c")).Set("V", 1)),
            TableTransactionAction.Upsert(new TableEntity(pk, TableKey.Encode("d#e?f")).Set("V", 2)),
        ]);
        Assert.Equal(2, results.Count);
        Assert.Equal(2, (await table.GetEntityAsync(pk, TableKey.Encode("d#e?f")))!.GetInt32("V"));
        Assert.Equal(["a/b'c", "d#e?f"], (await RowKeysAsync(table, pk)).Select(TableKey.Decode));
    }
}
