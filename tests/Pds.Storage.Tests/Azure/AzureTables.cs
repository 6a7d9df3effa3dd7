using Pds.Azure.Storage;
using Pds.TestSupport;

namespace Pds.Storage.Tests.Azure;

/// <summary>Fresh, uniquely named tables on the shared Azurite for one test.</summary>
internal static class AzureTables
{
    public static async Task<TableClient> CreateAsync(AzuriteFixture azurite, string prefix)
    {
        var table = new TableClient(azurite.Connection, AzuriteFixture.UniqueName(prefix));
        await table.CreateIfNotExistsAsync();
        return table;
    }

    /// <summary>Another client over the same table, as a second process would have.</summary>
    public static TableClient Reopen(AzuriteFixture azurite, TableClient table) => new(azurite.Connection, table.TableName);
}
