namespace Pds.Core.Services;

/// <summary>Wakes the sequencer after an outbox write (an in-process channel, or a queue message on Azure).</summary>
public interface ISequencerSignal
{
    /// <summary>Events of <paramref name="did"/> are in the outbox; the sequencer may look at that repository only.</summary>
    ValueTask NotifyAsync(string did, CancellationToken ct = default);
}
