using Pds.Core.Storage;
using Pds.Sqlite;
using Pds.Storage.Tests.Contracts;

namespace Pds.Storage.Tests.Sqlite;

public sealed class SqliteRepoStoreTests : RepoStoreContract
{
    protected override async Task<(IRepoStore Repos, IEventLog Events)> CreateAsync()
    {
        var db = await Track(new SqliteTestBackend()).OpenAsync();
        return (new SqliteRepoStore(db), new SqliteEventLog(db, TimeProvider.System));
    }
}

public sealed class SqliteRepoWriterRoundTripTests : RepoWriterRoundTripContract
{
    protected override async Task<IRepoStore> CreateAsync() => new SqliteRepoStore(await Track(new SqliteTestBackend()).OpenAsync());
}
