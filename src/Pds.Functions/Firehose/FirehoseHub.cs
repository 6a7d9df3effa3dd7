namespace Pds.Functions.Firehose;

/// <summary>
/// Announces that the event log grew. Subscribers take <see cref="Next"/> before reading the
/// log, so an announcement between their read and their wait is never missed.
/// </summary>
public sealed class FirehoseHub
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _latest;

    public long LatestSeq => Interlocked.Read(ref _latest);

    public Task Next => Volatile.Read(ref _next).Task;

    public void Announce(long seq)
    {
        long current;
        while ((current = Interlocked.Read(ref _latest)) < seq && Interlocked.CompareExchange(ref _latest, seq, current) != current)
        {
        }
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
