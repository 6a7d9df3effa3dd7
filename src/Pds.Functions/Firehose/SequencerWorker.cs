using Pds.Core.Sequencer;
using Pds.Core.Storage;

namespace Pds.Functions.Firehose;

/// <summary>
/// Runs the sequencer in-process: on every wake-up (and on a timer, in case one was lost)
/// it sequences the outbox and announces the new seq; hourly it trims the log to the window.
/// </summary>
public sealed class SequencerWorker(
    SequencerService sequencer, IEventLog log, ChannelSequencerSignal signal, IFirehoseAnnouncer announcer, SequencedNotices notices,
    LogRetention retention, ILogger<SequencerWorker> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (await log.GetLatestSeqAsync(stoppingToken) is { } latest)
        {
            await announcer.AnnounceAsync(latest, stoppingToken);
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var sequenced = await sequencer.DrainAsync(ct: stoppingToken);
                await notices.PublishAsync(sequenced, stoppingToken);
                await retention.TrimIfDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "sequencer pass failed; retrying");
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(Poll);
            try
            {
                await signal.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

}

/// <summary>How long the firehose log keeps events for cursor replay (PDS_REPO_BACKFILL_LIMIT_MS).</summary>
public sealed record FirehoseSettings(TimeSpan Retention);
