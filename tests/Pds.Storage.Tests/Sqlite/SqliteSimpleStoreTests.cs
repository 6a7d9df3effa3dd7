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

/// <summary>The account cache the Azure backend puts in front of its store must keep every account-store promise.</summary>
public sealed class CachedAccountStoreTests : AccountStoreContract
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero));

    protected override async Task<IAccountStore> CreateAsync() =>
        new Pds.Core.Services.CachedAccountStore(new SqliteAccountStore(await Track(new SqliteTestBackend()).OpenAsync()), _clock, TimeSpan.FromSeconds(5));

    [Fact]
    public async Task GetByDid_ChangedBehindTheCache_SeenAfterTtl()
    {
        var backend = Track(new SqliteTestBackend());
        var inner = new SqliteAccountStore(await backend.OpenAsync());
        var cached = new Pds.Core.Services.CachedAccountStore(inner, _clock, TimeSpan.FromSeconds(5));
        var account = NewAccount();
        await cached.CreateAsync(account);
        Assert.Equal(AccountStatus.Active, (await cached.GetByDidAsync(account.Did))?.Status);

        // Another instance takes the account down.
        await inner.UpdateStatusAsync(account.Did, AccountStatus.Takendown, deactivated: false);

        Assert.Equal(AccountStatus.Active, (await cached.GetByDidAsync(account.Did))?.Status);
        _clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(AccountStatus.Takendown, (await cached.GetByDidAsync(account.Did))?.Status);
        await cached.UpdateStatusAsync(account.Did, AccountStatus.Active, deactivated: false);
        Assert.Equal(AccountStatus.Active, (await cached.GetByDidAsync(account.Did))?.Status);
    }
}
