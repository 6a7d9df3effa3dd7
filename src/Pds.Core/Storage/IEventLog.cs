namespace Pds.Core.Storage;

/// <summary>
/// The firehose's durable log. Writers append unsequenced events (an outbox); the sequencer,
/// the single logical writer of <c>seq</c>, moves them into the log in order. Readers page the
/// log by seq. <c>seq</c> never goes backwards, across restarts and reinstalls.
/// </summary>
public interface IEventLog
{
    /// <summary>Adds an event that is not part of a commit (identity, account status).</summary>
    Task AppendPendingAsync(PendingEvent pending, CancellationToken ct = default);

    /// <summary>Oldest unsequenced events first, of every repository (on Azure a scan: the sweep for lost wake-ups).</summary>
    Task<IReadOnlyList<PendingEvent>> GetPendingAsync(int limit, CancellationToken ct = default);

    /// <summary>One repository's unsequenced events, oldest first: what a wake-up naming that DID sequences.</summary>
    Task<IReadOnlyList<PendingEvent>> GetPendingForAsync(string did, int limit, CancellationToken ct = default);

    /// <summary>
    /// Assigns the next seq values to <paramref name="pending"/> in order, stores their frames
    /// (built by <paramref name="frame"/> from the assigned seq) and removes them from the outbox,
    /// atomically. Returns the stored events.
    /// </summary>
    Task<IReadOnlyList<SequencedEvent>> SequenceAsync(
        IReadOnlyList<PendingEvent> pending, Func<PendingEvent, long, byte[]> frame, CancellationToken ct = default);

    /// <summary>Events with seq &gt; <paramref name="afterSeq"/>, ascending.</summary>
    Task<IReadOnlyList<SequencedEvent>> ReadAsync(long afterSeq, int limit, CancellationToken ct = default);

    Task<long?> GetLatestSeqAsync(CancellationToken ct = default);

    /// <summary>The oldest retained event (the start of the replay window), if any.</summary>
    Task<SequencedEvent?> GetOldestAsync(CancellationToken ct = default);

    /// <summary>Drops events older than <paramref name="before"/>, always keeping the latest one.</summary>
    Task<int> TrimAsync(DateTimeOffset before, CancellationToken ct = default);
}

/// <summary>An event waiting for its seq: its type (#commit, #identity, ...) and DAG-CBOR body without seq.</summary>
public sealed record PendingEvent(string Id, string Did, string Type, byte[] Body, DateTimeOffset Time);

/// <summary>A sequenced event: the complete binary frame as sent on the WebSocket.</summary>
public sealed record SequencedEvent(long Seq, string Did, string Type, byte[] Frame, DateTimeOffset Time);
