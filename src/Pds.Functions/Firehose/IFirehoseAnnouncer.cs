namespace Pds.Functions.Firehose;

/// <summary>
/// Tells subscribeRepos sessions, wherever they run, that the event log grew to <c>seq</c>.
/// The sequencer calls it after the events are stored, so an announcement that is lost only
/// delays delivery (relays also poll the log); implementations never throw for a failed send.
/// </summary>
public interface IFirehoseAnnouncer
{
    Task AnnounceAsync(long seq, CancellationToken ct = default);
}
