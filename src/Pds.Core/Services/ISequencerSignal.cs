namespace Pds.Core.Services;

/// <summary>Wakes the sequencer after an outbox write (an in-process channel, or a queue message on Azure).</summary>
public interface ISequencerSignal
{
    ValueTask NotifyAsync(CancellationToken ct = default);
}
