using System.Text;
using Pds.Azure.Adapters.Events;
using Pds.Azure.Storage;
using Pds.Core.Sequencer;
using Pds.Core.Storage;
using Pds.Functions.Firehose;

namespace Pds.Functions.Hosting.Azure;

/// <summary>
/// The sequencer role on the Azure backend outside the Functions host (the container and
/// community topologies): polls the sequencer queue, drains the outbox of each repository the
/// messages name, and sweeps every repository's outbox every few minutes for wake-ups that were
/// lost (a process that died between its commit and its queue message). Correctness does not
/// depend on there being one of these: the log's counter row serializes sequencers.
/// </summary>
public sealed class QueueSequencerWorker(
    SequencerService sequencer, IEventLog log, SequencerQueue queue, QueueSequencerSignal signal, IFirehoseAnnouncer announcer,
    SequencedNotices notices, LogRetention retention, TimeProvider clock, ILogger<QueueSequencerWorker> logger) : BackgroundService
{
    /// <summary>
    /// Idle polls back off from 1 s to 10 s: at one poll a second the queue alone would cost
    /// more per month than the rest of a personal PDS's storage. A commit in this process nudges
    /// the loop at once; one made elsewhere (a scaled-out api) waits at most the current interval.
    /// </summary>
    private static readonly TimeSpan MinIdlePoll = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan MaxIdlePoll = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _nudge = new(0, 1);
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A commit in this process pokes the loop so it does not wait for its poll.
        signal.Sent += Nudge;
        try
        {
            if (await log.GetLatestSeqAsync(stoppingToken) is { } latest)
            {
                await announcer.AnnounceAsync(latest, stoppingToken);
            }
            var idlePoll = MinIdlePoll;
            while (!stoppingToken.IsCancellationRequested)
            {
                var busy = false;
                try
                {
                    busy = await PassAsync(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    logger.LogError(e, "sequencer pass failed; retrying");
                }
                if (busy)
                {
                    idlePoll = MinIdlePoll;
                    continue;
                }
                var nudged = await _nudge.WaitAsync(idlePoll, stoppingToken).ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default);
                idlePoll = nudged ? MinIdlePoll : TimeSpan.FromTicks(Math.Min(MaxIdlePoll.Ticks, idlePoll.Ticks * 2));
            }
        }
        finally
        {
            signal.Sent -= Nudge;
        }
    }

    /// <summary>One poll; true when there were messages (poll again at once).</summary>
    private async Task<bool> PassAsync(CancellationToken ct)
    {
        var messages = await queue.Client.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(60), ct);
        var sequenced = new List<SequencedEvent>();
        var sweep = clock.GetUtcNow() - _lastSweep > SweepEvery;
        foreach (var did in messages.Select(m => m.Body is null ? null : SequencerMessage.DidOf(Encoding.UTF8.GetString(m.Body))).Distinct())
        {
            if (did is null)
            {
                sweep = true;
                continue;
            }
            sequenced.AddRange(await sequencer.DrainAsync(did, ct));
        }
        if (sweep)
        {
            _lastSweep = clock.GetUtcNow();
            sequenced.AddRange(await sequencer.DrainAsync(null, ct));
        }
        // Deleted only after their events are in the log: a crash before this redelivers them, harmlessly.
        foreach (var m in messages)
        {
            await queue.Client.DeleteMessageAsync(m.MessageId, m.PopReceipt!, ct);
        }
        await notices.PublishAsync(sequenced, ct);
        await retention.TrimIfDueAsync(ct);
        return messages.Count > 0;
    }

    private void Nudge()
    {
        try
        {
            _nudge.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already nudged.
        }
    }

}

/// <summary>The sequencer's queue (the Functions queue trigger's <c>pds-seq</c>).</summary>
public sealed record SequencerQueue(QueueClient Client)
{
    public const string Name = "pds-seq";
}
