using Pds.Sqlite;

namespace Pds.Storage.Tests.Sqlite;

/// <summary>
/// A test's private data directory. Each <see cref="OpenAsync"/> opens the same database file
/// anew, which is how the contracts' "reopen" tests see a restart.
/// </summary>
public sealed class SqliteTestBackend : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<SqliteDatabase> _open = [];

    public string DataDirectory => _dir.Path;

    public async Task<SqliteDatabase> OpenAsync()
    {
        var db = await SqliteDatabase.OpenAsync(_dir.File(SqliteDatabase.DefaultFileName));
        _open.Add(db);
        return db;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var db in _open)
        {
            await db.DisposeAsync();
        }
        _dir.Dispose();
    }
}
