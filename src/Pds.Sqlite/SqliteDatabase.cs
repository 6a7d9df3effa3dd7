using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Pds.Sqlite;

/// <summary>
/// One SQLite database file shared by every embedded store. Reads run concurrently on pooled
/// connections (WAL lets them proceed beside a writer); writes queue on one in-process lock so
/// this process never contends with itself for the write lock and never sees SQLITE_BUSY.
/// Another process on the same file is still handled by the busy timeout.
/// Connections stay open between uses (<see cref="SqliteSession"/>: settings applied once,
/// statements kept prepared), and the WAL is checkpointed in the background
/// (<see cref="SqliteCheckpointer"/>) instead of inside the commit that crosses the threshold.
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    public const string DefaultFileName = "pds.sqlite";

    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Idle connections kept; more than this at once (a burst of readers) are closed after use.</summary>
    private static readonly int MaxIdle = Math.Clamp(Environment.ProcessorCount * 4, 8, 64);

    /// <summary>Page cache per connection (SQLite's default is 2 MiB).</summary>
    private const int PageCacheKiB = 512;

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly ConcurrentBag<SqliteSession> _idle = [];
    private readonly SqliteCheckpointer _checkpointer;
    private int _disposed;

    private SqliteDatabase(string path, string connectionString)
    {
        Path = path;
        _connectionString = connectionString;
        _checkpointer = new SqliteCheckpointer(this);
    }

    public string Path { get; }

    /// <summary>Background checkpoints finished so far (tests watch it).</summary>
    internal int CheckpointsCompleted => _checkpointer.Completed;

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
            // This class keeps its own open connections (with their prepared statements).
            Pooling = false,
            ForeignKeys = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();
        var db = new SqliteDatabase(full, connectionString);
        try
        {
            var connection = await db.RentAsync(ct).ConfigureAwait(false);
            try
            {
                // Persistent in the file: set once, outside any transaction.
                await using var wal = connection.Sql("PRAGMA journal_mode=WAL;");
                await wal.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            finally
            {
                db.Return(connection);
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

    /// <summary>An open connection for the caller alone, until it gives it back with <see cref="Return"/>.</summary>
    internal async Task<SqliteSession> RentAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _idle.TryTake(out var idle) ? idle : await OpenSessionAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Keeps the connection for the next caller, unless it is mid-transaction, broken, surplus or the database closed.</summary>
    internal void Return(SqliteSession session)
    {
        if (_disposed == 0 && session.IsIdle && _idle.Count < MaxIdle)
        {
            _idle.Add(session);
            if (Volatile.Read(ref _disposed) != 0)
            {
                CloseIdle(); // DisposeAsync may have emptied the bag just before the add
            }
            return;
        }
        session.Dispose();
    }

    private void CloseIdle()
    {
        while (_idle.TryTake(out var session))
        {
            session.Dispose();
        }
    }

    private async Task<SqliteSession> OpenSessionAsync(CancellationToken ct)
    {
        var session = new SqliteSession(_connectionString);
        try
        {
            await session.OpenAsync(ct).ConfigureAwait(false);
            // NORMAL is durable across application crashes in WAL mode; a power loss may drop
            // the last commits but never corrupts the file. The automatic checkpoint stays only
            // as a backstop (4x the default) for when the background checkpointer falls behind.
            // Each connection has its own page cache, in the process's memory; a dozen of them at
            // SQLite's default 2 MiB held the same hot pages many times over. Misses are served
            // from the kernel's page cache, which is shared and not charged to the process.
            await using var pragmas = session.Sql(
                $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={(int)BusyTimeout.TotalMilliseconds}; " +
                $"PRAGMA wal_autocheckpoint={SqliteCheckpointer.BackstopPages}; PRAGMA cache_size=-{PageCacheKiB};");
            await pragmas.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs <paramref name="read"/> on its own connection, concurrently with other readers and the writer.</summary>
    internal async Task<T> ReadAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        var connection = await RentAsync(ct).ConfigureAwait(false);
        try
        {
            return await read(connection, ct).ConfigureAwait(false);
        }
        finally
        {
            Return(connection);
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> in one immediate transaction under the writer lock; commits
    /// when it returns, rolls back when it throws.
    /// </summary>
    internal async Task<T> WriteAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> write, CancellationToken ct)
    {
        await _writer.WaitAsync(ct).ConfigureAwait(false);
        SqliteSession? connection = null;
        try
        {
            connection = await RentAsync(ct).ConfigureAwait(false);
            // Not deferred: BEGIN IMMEDIATE takes the file's write lock up front, so a second
            // process makes us wait (busy timeout) instead of failing at the first write.
            T result;
            await using (var transaction = connection.BeginTransaction(deferred: false))
            {
                result = await write(connection, ct).ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
            }
            _checkpointer.Committed();
            return result;
        }
        finally
        {
            if (connection is not null)
            {
                Return(connection);
            }
            _writer.Release();
        }
    }

    internal Task WriteAsync(Func<SqliteConnection, CancellationToken, Task> write, CancellationToken ct) =>
        WriteAsync(async (connection, token) =>
        {
            await write(connection, token).ConfigureAwait(false);
            return true;
        }, ct);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        // Open connections hold the file; close them so the directory can be removed.
        await _checkpointer.DisposeAsync().ConfigureAwait(false);
        CloseIdle();
        _writer.Dispose();
    }
}
