namespace Pds.Functions.Firehose;

/// <summary>Announces to the sessions of this process only: the sequencer and the relay share it.</summary>
public sealed class LocalFirehoseAnnouncer(FirehoseHub hub) : IFirehoseAnnouncer
{
    public Task AnnounceAsync(long seq, CancellationToken ct = default)
    {
        hub.Announce(seq);
        return Task.CompletedTask;
    }
}
