using Pds.Core.Storage;
using Pds.Sqlite;
using Pds.Storage.Tests.Contracts;

namespace Pds.Storage.Tests.Sqlite;

public sealed class SqliteRepoStoreTests : RepoStoreContract
{
    private readonly SqliteTestBackend _backend;

    public SqliteRepoStoreTests() => _backend = Track(new SqliteTestBackend());

    protected override async Task<(IRepoStore Repos, IEventLog Events)> CreateAsync()
    {
        var db = await _backend.OpenAsync();
        return (new SqliteRepoStore(db), new SqliteEventLog(db, TimeProvider.System));
    }
}

public sealed class SqliteRepoWriterRoundTripTests : RepoWriterRoundTripContract
{
    private readonly SqliteTestBackend _backend;

    public SqliteRepoWriterRoundTripTests() => _backend = Track(new SqliteTestBackend());

    protected override async Task<IRepoStore> CreateAsync() => new SqliteRepoStore(await _backend.OpenAsync());
}
