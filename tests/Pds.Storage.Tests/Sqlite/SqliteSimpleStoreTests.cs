using Pds.Core.Storage;
using Pds.Sqlite;
using Pds.Storage.Tests.Contracts;

namespace Pds.Storage.Tests.Sqlite;

public sealed class SqliteAccountStoreTests : AccountStoreContract
{
    protected override async Task<IAccountStore> CreateAsync() => new SqliteAccountStore(await Track(new SqliteTestBackend()).OpenAsync());
}

public sealed class SqliteSessionStoreTests : SessionStoreContract
{
    protected override async Task<ISessionStore> CreateAsync() => new SqliteSessionStore(await Track(new SqliteTestBackend()).OpenAsync());
}

public sealed class SqliteInviteStoreTests : InviteStoreContract
{
    protected override async Task<IInviteStore> CreateAsync() => new SqliteInviteStore(await Track(new SqliteTestBackend()).OpenAsync());
}

public sealed class SqlitePreferenceStoreTests : PreferenceStoreContract
{
    protected override async Task<IPreferenceStore> CreateAsync() => new SqlitePreferenceStore(await Track(new SqliteTestBackend()).OpenAsync());
}

public sealed class SqliteBlobIndexTests : BlobIndexContract
{
    protected override async Task<IBlobIndex> CreateAsync() => new SqliteBlobIndex(await Track(new SqliteTestBackend()).OpenAsync());
}
