using Microsoft.Data.Sqlite;

namespace Pds.Sqlite;

/// <summary>
/// Copies the WAL back into the database file off the request path. SQLite's automatic
/// checkpoint runs inside the commit that crosses its threshold, so one write in every few dozen
/// waited for a page copy and an fsync (the createRecord benchmark's p99 was about eight times
/// its median). Here a commit only raises a flag; a background loop runs a PASSIVE checkpoint
/// shortly after, which waits for neither readers nor the writer. The automatic checkpoint
/// stays on at <see cref="BackstopPages"/> in case this loop falls behind or is not running.
/// </summary>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    /// <summary>Four times SQLite's default, so the backstop only fires when this loop cannot keep up.</summary>
    internal const int BackstopPages = 4000;

    /// <summary>Commits within this long share one checkpoint.</summary>
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(100);

    private readonly SqliteDatabase _db;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _pending;
    private int _completed;

    public SqliteCheckpointer(SqliteDatabase db)
    {
        _db = db;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Checkpoints completed, for tests.</summary>
    internal int Completed => Volatile.Read(ref _completed);

    /// <summary>Called after each commit; cheap when a checkpoint is already due.</summary>
    public void Committed()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 0)
        {
            _signal.Release();
        }
    }

    private async Task RunAsync()
    {
        var stop = _stop.Token;
        try
        {
            while (true)
            {
                await _signal.WaitAsync(stop).ConfigureAwait(false);
                await Task.Delay(Gather, stop).ConfigureAwait(false);
                // Commits from here on ask for the next round.
                Volatile.Write(ref _pending, 0);
                await CheckpointAsync(stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task CheckpointAsync(CancellationToken ct)
    {
        try
        {
            await _db.ReadAsync(async (c, token) =>
            {
                await using var checkpoint = c.Sql("PRAGMA wal_checkpoint(PASSIVE);");
                return await checkpoint.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
            Interlocked.Increment(ref _completed);
        }
        catch (SqliteException)
        {
            // Another process checkpointing at the same moment; the next commit asks again and
            // the automatic backstop still bounds the WAL.
        }
        catch (ObjectDisposedException)
        {
            // The database closed between the signal and the checkpoint.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _signal.Dispose();
    }
}
