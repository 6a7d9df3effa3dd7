using Pds.Functions.Hosting;
using Pds.Functions.Tests.Server;
using Pds.TestSupport;

namespace Pds.Functions.Tests.AzureMode;

/// <summary>
/// The PDS with PDS_STORAGE_BACKEND=azure on a real Azurite (tables, blobs, the sequencer queue
/// polled by the in-process queue worker) and a real PLC directory; keys sealed locally (no vault).
/// </summary>
public class AzurePdsServerFixture : PdsServerFixture
{
    public AzuriteFixture Azurite { get; } = new();

    public override async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Azurite.DisposeAsync();
    }

    protected override PdsConfig Configure(PdsConfig config) => config with
    {
        StorageBackend = StorageBackend.Azure,
        AzureStorageConnectionString = Azurite.ConnectionString,
        StoragePrefix = "t" + Guid.NewGuid().ToString("N")[..8],
    };
}
