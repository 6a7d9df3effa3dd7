using Pds.Azure.Storage;
using Pds.Core.Sequencer;
using Pds.Core.Services;

namespace Pds.Azure.Adapters.Events;

/// <summary>
/// Wakes the sequencer through a Storage queue (the Functions queue trigger, or a sequencer
/// process polling it), naming the repository so the sequencer reads one partition's outbox.
/// The outbox row is already durable when this runs: a lost message costs latency until the
/// next wake-up for that repository or the periodic sweep, never an event.
/// </summary>
public sealed class QueueSequencerSignal(QueueClient queue) : ISequencerSignal
{
    /// <summary>Raised after each message, so a sequencer in the same process can poll at once instead of on its timer.</summary>
    public event Action? Sent;

    public async ValueTask NotifyAsync(string did, CancellationToken ct = default)
    {
        await queue.SendMessageAsync(System.Text.Encoding.UTF8.GetBytes(SequencerMessage.Create(did)), ct: ct).ConfigureAwait(false);
        Sent?.Invoke();
    }
}
