using Microsoft.Data.Sqlite;

namespace Pds.Sqlite;

/// <summary>
/// One SQLite database file shared by every embedded store. Reads run concurrently on pooled
/// connections (WAL lets them proceed beside a writer); writes queue on one in-process lock so
/// this process never contends with itself for the write lock and never sees SQLITE_BUSY.
/// Another process on the same file is still handled by the busy timeout.
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    public const string DefaultFileName = "pds.sqlite";

    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(10);

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private int _disposed;

    private SqliteDatabase(string path, string connectionString)
    {
        Path = path;
        _connectionString = connectionString;
    }

    public string Path { get; }

    /// <summary>Opens (creating if needed) the database file and brings its schema up to date.</summary>
    public static Task<SqliteDatabase> OpenAsync(string path, CancellationToken ct = default) =>
        OpenAsync(path, SqliteMigrations.Latest, ct);

    /// <summary>Opens at an older schema version (migration tests build their starting point this way).</summary>
    internal static async Task<SqliteDatabase> OpenAsync(string path, int schemaVersion, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();
        var db = new SqliteDatabase(full, connectionString);
        try
        {
            await using (var connection = await db.OpenConnectionAsync(ct).ConfigureAwait(false))
            {
                // Persistent in the file: set once, outside any transaction.
                await using var wal = connection.Sql("PRAGMA journal_mode=WAL;");
                await wal.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            await SqliteMigrations.ApplyAsync(db, schemaVersion, ct).ConfigureAwait(false);
            return db;
        }
        catch
        {
            await db.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Opens a pooled connection with the per-connection settings applied. The caller disposes it.</summary>
    internal async Task<SqliteConnection> OpenConnectionAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            // NORMAL is durable across application crashes in WAL mode; a power loss may drop
            // the last commits but never corrupts the file.
            await using var pragmas = connection.Sql(
                $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={(int)BusyTimeout.TotalMilliseconds};");
            await pragmas.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs <paramref name="read"/> on its own connection, concurrently with other readers and the writer.</summary>
    internal async Task<T> ReadAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        await using var connection = await OpenConnectionAsync(ct).ConfigureAwait(false);
        return await read(connection, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="write"/> in one immediate transaction under the writer lock; commits
    /// when it returns, rolls back when it throws.
    /// </summary>
    internal async Task<T> WriteAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> write, CancellationToken ct)
    {
        await _writer.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenConnectionAsync(ct).ConfigureAwait(false);
            // Not deferred: BEGIN IMMEDIATE takes the file's write lock up front, so a second
            // process makes us wait (busy timeout) instead of failing at the first write.
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await write(connection, ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _writer.Release();
        }
    }

    internal Task WriteAsync(Func<SqliteConnection, CancellationToken, Task> write, CancellationToken ct) =>
        WriteAsync(async (connection, token) =>
        {
            await write(connection, token).ConfigureAwait(false);
            return true;
        }, ct);

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }
        // Pooled connections hold the file open; release them so the directory can be removed.
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }
        _writer.Dispose();
        return ValueTask.CompletedTask;
    }
}
