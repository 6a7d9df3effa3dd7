using Pds.Core.Storage;

namespace Pds.Core.Sequencer;

/// <summary>
/// The single logical writer of seq: moves outbox events into the log in order. Safe to call
/// from several wake-ups at once (calls are serialized); the store makes it atomic, also
/// against sequencers in other processes.
/// </summary>
public sealed class SequencerService(IEventLog log)
{
    public const int BatchSize = 100;

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// Sequences everything pending, or only <paramref name="did"/>'s events when a wake-up named
    /// the repository (on Azure the whole outbox is a scan, one repository's is one query).
    /// Returns what was sequenced (empty if nothing).
    /// </summary>
    public async Task<IReadOnlyList<SequencedEvent>> DrainAsync(string? did = null, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var all = new List<SequencedEvent>();
            while (true)
            {
                var pending = did is null
                    ? await log.GetPendingAsync(BatchSize, ct).ConfigureAwait(false)
                    : await log.GetPendingForAsync(did, BatchSize, ct).ConfigureAwait(false);
                if (pending.Count == 0)
                {
                    return all;
                }
                all.AddRange(await log.SequenceAsync(pending, FirehoseEvents.Frame, ct).ConfigureAwait(false));
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
