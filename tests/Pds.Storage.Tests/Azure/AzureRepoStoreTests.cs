using Pds.Azure.Adapters.Events;
using Pds.Azure.Adapters.Repos;
using Pds.Core.Storage;
using Pds.Storage.Tests.Contracts;
using Pds.TestSupport;

namespace Pds.Storage.Tests.Azure;

[Collection(AzuriteCollection.Name)]
public sealed class AzureRepoStoreTests(AzuriteFixture azurite) : RepoStoreContract
{
    protected override async Task<(IRepoStore Repos, IEventLog Events)> CreateAsync()
    {
        var repos = await AzureTables.CreateAsync(azurite, "repos");
        var events = await AzureTables.CreateAsync(azurite, "events");
        return (new AzureRepoStore(repos), new AzureEventLog(repos, events, TimeProvider.System));
    }
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureRepoWriterRoundTripTests(AzuriteFixture azurite) : RepoWriterRoundTripContract
{
    protected override async Task<IRepoStore> CreateAsync() => new AzureRepoStore(await AzureTables.CreateAsync(azurite, "repos"));
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureEventLogTests(AzuriteFixture azurite) : EventLogContract
{
    private (global::Pds.Azure.Storage.TableClient Repos, global::Pds.Azure.Storage.TableClient Events)? _tables;

    protected override async Task<IEventLog> OpenAsync(TimeProvider clock)
    {
        _tables ??= (await AzureTables.CreateAsync(azurite, "repos"), await AzureTables.CreateAsync(azurite, "events"));
        return new AzureEventLog(
            AzureTables.Reopen(azurite, _tables.Value.Repos), AzureTables.Reopen(azurite, _tables.Value.Events), clock);
    }
}
