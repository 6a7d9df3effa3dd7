using System.Text.Json.Nodes;
using Pds.Azure.SignalR;
using Pds.Functions.Firehose;

namespace Pds.Functions.Relay;

/// <summary>
/// Announces a new latest seq to this process's sessions and, through the SignalR Service REST
/// API, to every relay listening on the hub. Only the number is sent (REST bodies are capped at
/// 1 MB; the relay reads frames from the event log). A failed send is logged and swallowed: the
/// events are already stored, and relays find them by polling within their poll interval.
/// </summary>
public sealed class SignalRFirehoseAnnouncer(
    SignalRRestPublisher publisher, string hub, FirehoseHub local, ILogger<SignalRFirehoseAnnouncer> logger) : IFirehoseAnnouncer
{
    /// <summary>The client method relays listen for; its one argument is the seq.</summary>
    public const string Target = "seq";

    /// <summary>
    /// At most this long per announcement, retries included, so that an unreachable service slows
    /// each sequencer pass by a bounded amount instead of Azure.Core's 100 s network timeout.
    /// </summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    public async Task AnnounceAsync(long seq, CancellationToken ct = default)
    {
        local.Announce(seq);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(Budget);
        try
        {
            await publisher.SendToAllAsync(hub, Target, new JsonArray(seq), budget.Token);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // Only the type and message: they carry the status and the service's answer, never the
            // access key or a token (those travel in request headers, which are not part of either).
            logger.LogWarning("announcing seq {Seq} on SignalR hub {Hub} failed: {Error}: {Message}; relays will find it by polling",
                seq, hub, e.GetType().Name, budget.IsCancellationRequested ? $"no answer within {Budget.TotalSeconds:0} s" : e.Message);
        }
    }
}
