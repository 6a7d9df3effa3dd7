using Pds.Azure.Adapters.Accounts;
using Pds.Azure.Adapters.BlobIndex;
using Pds.Azure.Adapters.Invites;
using Pds.Azure.Adapters.Preferences;
using Pds.Azure.Adapters.Sessions;
using Pds.Core.Storage;
using Pds.Storage.Tests.Contracts;
using Pds.TestSupport;

namespace Pds.Storage.Tests.Azure;

[Collection(AzuriteCollection.Name)]
public sealed class AzureAccountStoreTests(AzuriteFixture azurite) : AccountStoreContract
{
    protected override async Task<IAccountStore> CreateAsync() => new AzureAccountStore(await AzureTables.CreateAsync(azurite, "accounts"));
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureSessionStoreTests(AzuriteFixture azurite) : SessionStoreContract
{
    protected override async Task<ISessionStore> CreateAsync() => new AzureSessionStore(await AzureTables.CreateAsync(azurite, "sessions"));
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureInviteStoreTests(AzuriteFixture azurite) : InviteStoreContract
{
    protected override async Task<IInviteStore> CreateAsync() => new AzureInviteStore(await AzureTables.CreateAsync(azurite, "invites"));
}

[Collection(AzuriteCollection.Name)]
public sealed class AzurePreferenceStoreTests(AzuriteFixture azurite) : PreferenceStoreContract
{
    protected override async Task<IPreferenceStore> CreateAsync() => new AzurePreferenceStore(await AzureTables.CreateAsync(azurite, "preferences"));
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobIndexTests(AzuriteFixture azurite) : BlobIndexContract
{
    protected override async Task<IBlobIndex> CreateAsync() => new AzureBlobIndex(await AzureTables.CreateAsync(azurite, "blobindex"));
}
