using Pds.Azure.Adapters.Keys;
using Pds.Azure.Storage;
using Pds.Azure.Tests.KeyVault;
using Pds.TestSupport;

namespace Pds.Azure.Tests.Adapters.Keys;

/// <summary>
/// One test's keys table on Azurite and fake vault. Every store (and every "process") gets its own
/// TableClient and KeyVaultKeysClient, so its table round trips can be counted on their own.
/// </summary>
internal sealed class KeyStoreBed : IAsyncDisposable
{
    private readonly AzuriteFixture _azurite;

    private KeyStoreBed(AzuriteFixture azurite, FakeKeyVault vault, string tableName)
    {
        _azurite = azurite;
        Vault = vault;
        TableName = tableName;
    }

    public FakeKeyVault Vault { get; }

    public string TableName { get; }

    public static async Task<KeyStoreBed> StartAsync(AzuriteFixture azurite)
    {
        var tableName = AzuriteFixture.UniqueName("keys");
        await new TableClient(azurite.Connection, tableName).CreateIfNotExistsAsync();
        return new KeyStoreBed(azurite, await FakeKeyVault.StartAsync(), tableName);
    }

    public TableClient NewTable() => new(_azurite.Connection, TableName);

    /// <summary>A row as stored, read past the stores.</summary>
    public Task<TableEntity?> RowAsync(string rowKey) => NewTable().GetEntityAsync(KeyRows.Partition, rowKey);

    public static string AccountRow(string did) => KeyOwner.Account(did).RowKey;

    public static string ReservationRow(string id) => KeyOwner.Reservation(id).RowKey;

    /// <summary>Waits until the vault has received <paramref name="count"/> requests ending with /<paramref name="operation"/>.</summary>
    public async Task WaitForVaultAsync(string operation, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Vault.Count(operation) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the vault saw {Vault.Count(operation)} {operation} requests, expected {count}");
            await Task.Delay(10);
        }
    }

    public ValueTask DisposeAsync() => Vault.DisposeAsync();
}
