using Pds.Azure.Adapters.Tables;
using Pds.Azure.Storage;
using Pds.TestSupport;

namespace Pds.Storage.Tests.Azure;

/// <summary>The bounded read every listing uses: more than one page, and a limit inside a page.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableReadsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Take_MoreThanOnePage_FollowsContinuationAndStopsAtLimit()
    {
        var table = await AzureTables.CreateAsync(azurite, "reads");
        var keys = Enumerable.Range(0, 1100).Select(i => i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        await table.SubmitInChunksAsync(keys.Select(k => TableTransactionAction.Insert(new TableEntity("p", k))), default);
        var query = new TableQuery(TableRange.From("p", "0"));

        table.Requests.Reset();
        var rows = await table.TakeAsync(query, 1050, default);

        Assert.Equal(keys.Take(1050), rows.Select(r => r.RowKey));
        Assert.Equal(2, table.Requests.Count);
        Assert.Equal(keys.Skip(1000).Take(5), (await table.TakeAsync(query with { Filter = TableRange.From("p", "0", "0999", exclusive: true) }, 5, default)).Select(r => r.RowKey));
        Assert.Empty(await table.TakeAsync(query, 0, default));
    }
}
