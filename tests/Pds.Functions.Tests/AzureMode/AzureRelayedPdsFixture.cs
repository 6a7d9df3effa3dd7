using Pds.Functions.Hosting;
using Pds.Functions.Tests.Relay;
using Pds.TestSupport;

namespace Pds.Functions.Tests.AzureMode;

/// <summary>
/// The serverless shape on one machine, on the Azure backend: a relay (PDS_ROLES=relay,
/// PDS_FORWARD_TO) in front of a separate api+sequencer host, both on the same Azurite account,
/// announcements through the SignalR Service stand-in, the sequencer woken through the queue.
/// </summary>
public sealed class AzureRelayedPdsFixture : RelayedPdsFixture
{
    private readonly string _prefix = "r" + Guid.NewGuid().ToString("N")[..8];

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

    protected override PdsConfig Configure(PdsConfig config) => base.Configure(config) with
    {
        StorageBackend = StorageBackend.Azure,
        AzureStorageConnectionString = Azurite.ConnectionString,
        StoragePrefix = _prefix,
    };
}
