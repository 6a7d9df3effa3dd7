using Pds.Azure.SignalR;
using Pds.Core.Storage;
using Pds.Functions.Firehose;
using Pds.Functions.Hosting;

namespace Pds.Functions.Relay;

/// <summary>
/// Wakes this relay's subscribeRepos sessions when another process sequenced events: from the
/// SignalR hub's announcements when PDS_SIGNALR_CONNECTION_STRING is set, and by reading the
/// log's latest seq whenever nothing was heard for PDS_RELAY_POLL_MS. Announcements are only a
/// shortcut: a lost one, a dropped hub link or no SignalR at all costs at most one poll interval.
/// </summary>
public sealed class RelayAnnouncementListener(
    IEventLog log, FirehoseHub hub, PdsConfig config, TimeProvider clock, ILogger<RelayAnnouncementListener> logger) : BackgroundService
{
    private static readonly TimeSpan[] RestartDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)];

    // Released on every hub (re)connect: whatever was announced while the link was down is lost, so poll now.
    private readonly SemaphoreSlim _resync = new(0);

    // Ticks of the last announcement heard; zero makes the next pass poll.
    private long _lastHeard;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listening = config.SignalR is { } signalR ? ListenAsync(signalR, stoppingToken) : Task.CompletedTask;
        var interval = config.RelayPollInterval;
        try
        {
            while (true)
            {
                if (clock.GetUtcNow().UtcTicks - Volatile.Read(ref _lastHeard) >= interval.Ticks)
                {
                    await PollAsync(stoppingToken);
                }
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                await Task.WhenAny(Task.Delay(interval, clock, wait.Token), _resync.WaitAsync(wait.Token));
                await wait.CancelAsync();
                stoppingToken.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await listening;
    }

    private async Task PollAsync(CancellationToken ct)
    {
        try
        {
            if (await log.GetLatestSeqAsync(ct) is { } latest && latest > hub.LatestSeq)
            {
                hub.Announce(latest);
            }
        }
        catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
        {
            logger.LogWarning("relay could not read the latest seq: {Error}: {Message}", e.GetType().Name, e.Message);
        }
    }

    private ValueTask OnAnnouncementAsync(HubInvocation invocation, CancellationToken ct)
    {
        // A malformed announcement is ignored rather than thrown: throwing would drop the hub link.
        if (invocation.Arguments.Count > 0 && invocation.Arguments[0].ValueKind == System.Text.Json.JsonValueKind.Number
            && invocation.Arguments[0].TryGetInt64(out var seq) && seq > 0)
        {
            Volatile.Write(ref _lastHeard, clock.GetUtcNow().UtcTicks);
            if (seq > hub.LatestSeq)
            {
                hub.Announce(seq);
            }
        }
        return ValueTask.CompletedTask;
    }

    public override void Dispose()
    {
        _resync.Dispose();
        base.Dispose();
    }

    /// <summary>Keeps a hub client running; the client reconnects itself, this restarts it when it gives up.</summary>
    private async Task ListenAsync(SignalRConnectionString signalR, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            await using (var client = new SignalRHubClient(SignalRHubClientOptions.ForService(signalR, config.SignalRHub)))
            {
                client.On(SignalRFirehoseAnnouncer.Target, OnAnnouncementAsync);
                client.Connected += _ =>
                {
                    Volatile.Write(ref _lastHeard, 0);
                    _resync.Release();
                };
                client.Disconnected += e => logger.LogWarning("SignalR hub link down ({Message}); polling the event log meanwhile", e?.Message ?? "closed");
                try
                {
                    await client.StartAsync(stoppingToken);
                    logger.LogInformation("listening for firehose announcements on SignalR hub {Hub} at {Endpoint}", config.SignalRHub, signalR.ClientEndpoint);
                    failures = 0;
                    await client.Completion.WaitAsync(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    failures++;
                    logger.LogWarning("SignalR hub client stopped ({Error}: {Message}); polling the event log meanwhile", e.GetType().Name, e.Message);
                }
            }
            try
            {
                await Task.Delay(RestartDelays[Math.Min(failures, RestartDelays.Length - 1)], clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
