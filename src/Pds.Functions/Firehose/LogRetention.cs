using Pds.Core.Storage;

namespace Pds.Functions.Firehose;

/// <summary>
/// Trims the firehose log to the replay window (PDS_REPO_BACKFILL_LIMIT_MS), at most hourly,
/// for whichever sequencer runs: the in-process workers or the Functions sweep timer.
/// </summary>
public sealed class LogRetention(IEventLog log, FirehoseSettings settings, TimeProvider clock, ILogger<LogRetention> logger)
{
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);
    private long _lastTicks = DateTimeOffset.MinValue.UtcTicks;

    public async Task TrimIfDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var last = Interlocked.Read(ref _lastTicks);
        if (now.UtcTicks - last < Every.Ticks || Interlocked.CompareExchange(ref _lastTicks, now.UtcTicks, last) != last)
        {
            return;
        }
        var removed = await log.TrimAsync(now - settings.Retention, ct);
        if (removed > 0)
        {
            logger.LogInformation("trimmed {Count} firehose events older than {Retention}", removed, settings.Retention);
        }
    }
}
