using Pds.Core.Storage;
using Pds.Sqlite;
using Pds.Storage.Tests.Contracts;

namespace Pds.Storage.Tests.Sqlite;

public sealed class SqliteEventLogTests : EventLogContract
{
    private readonly SqliteTestBackend _backend;

    public SqliteEventLogTests() => _backend = Track(new SqliteTestBackend());

    protected override async Task<IEventLog> OpenAsync(TimeProvider clock) => new SqliteEventLog(await _backend.OpenAsync(), clock);}
