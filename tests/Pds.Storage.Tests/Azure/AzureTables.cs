using Pds.Azure.Storage;
using Pds.TestSupport;

namespace Pds.Storage.Tests.Azure;

/// <summary>A fresh, uniquely named table on the shared Azurite for one test.</summary>
internal static class AzureTables
{
    public static async Task<TableClient> NewAsync(AzuriteFixture azurite, string prefix)
    {
        var table = new TableClient(azurite.Connection, AzuriteFixture.UniqueName(prefix));
        await table.CreateIfNotExistsAsync();
        return table;
    }
}
