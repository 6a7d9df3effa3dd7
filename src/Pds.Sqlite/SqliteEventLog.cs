using Microsoft.Data.Sqlite;
using Pds.Core.Storage;

namespace Pds.Sqlite;

/// <summary>
/// The firehose log in SQLite: an outbox of unsequenced events, the sequenced log, and a state
/// row with the last seq ever assigned. The first seq of a new database is the clock in
/// microseconds since the Unix epoch, so a reinstalled server starts ahead of any cursor a
/// relay remembers; after that seq counts up by one and never goes backwards, whatever the
/// clock does and however much of the log is trimmed.
/// </summary>
public sealed class SqliteEventLog(SqliteDatabase db, TimeProvider time) : IEventLog
{
    private const string EventColumns = "SELECT seq, did, type, frame, time FROM event_log ";

    public Task AppendPendingAsync(PendingEvent pending, CancellationToken ct = default) =>
        db.WriteAsync((c, token) => SqliteOutbox.InsertAsync(c, pending, token), ct);

    public async Task<IReadOnlyList<PendingEvent>> GetPendingAsync(int limit, CancellationToken ct = default) =>
        await db.ReadAsync((c, token) => c.QueryAsync(
            "SELECT event_id, did, type, body, time FROM event_outbox ORDER BY id LIMIT $limit;",
            ReadPending, token,
            ("$limit", limit)), ct).ConfigureAwait(false);

    public async Task<IReadOnlyList<PendingEvent>> GetPendingForAsync(string did, int limit, CancellationToken ct = default) =>
        await db.ReadAsync((c, token) => c.QueryAsync(
            "SELECT event_id, did, type, body, time FROM event_outbox WHERE did = $did ORDER BY id LIMIT $limit;",
            ReadPending, token,
            ("$did", did), ("$limit", limit)), ct).ConfigureAwait(false);

    /// <summary>
    /// An event no longer in the outbox was sequenced already (by a racing sequencer): it is
    /// skipped, not logged twice, and left out of the result.
    /// </summary>
    public async Task<IReadOnlyList<SequencedEvent>> SequenceAsync(
        IReadOnlyList<PendingEvent> pending, Func<PendingEvent, long, byte[]> frame, CancellationToken ct = default) =>
        await db.WriteAsync(async (c, token) =>
        {
            var last = await LastSeqAsync(c, token).ConfigureAwait(false);
            var stored = new List<SequencedEvent>(pending.Count);
            foreach (var p in pending)
            {
                var removed = await c.ExecuteAsync(
                    "DELETE FROM event_outbox WHERE event_id = $id;", token, ("$id", p.Id)).ConfigureAwait(false);
                if (removed == 0)
                {
                    continue;
                }
                var seq = last is { } l ? l + 1 : MicrosecondsNow();
                var e = new SequencedEvent(seq, p.Did, p.Type, frame(p, seq), p.Time);
                await c.ExecuteAsync(
                    "INSERT INTO event_log (seq, did, type, frame, time) VALUES ($seq, $did, $type, $frame, $time);", token,
                    ("$seq", e.Seq), ("$did", e.Did), ("$type", e.Type), ("$frame", e.Frame), ("$time", e.Time.ToDb()))
                    .ConfigureAwait(false);
                stored.Add(e);
                last = seq;
            }
            if (last is { } assigned)
            {
                await c.ExecuteAsync(
                    "INSERT INTO event_state (id, last_seq) VALUES (1, $seq) ON CONFLICT (id) DO UPDATE SET last_seq = excluded.last_seq;",
                    token, ("$seq", assigned)).ConfigureAwait(false);
            }
            return stored;
        }, ct).ConfigureAwait(false);

    public async Task<IReadOnlyList<SequencedEvent>> ReadAsync(long afterSeq, int limit, CancellationToken ct = default) =>
        await db.ReadAsync((c, token) => c.QueryAsync(
            EventColumns + "WHERE seq > $after ORDER BY seq LIMIT $limit;", ReadEvent, token,
            ("$after", afterSeq), ("$limit", limit)), ct).ConfigureAwait(false);

    public Task<long?> GetLatestSeqAsync(CancellationToken ct = default) => db.ReadAsync(LastSeqAsync, ct);

    public Task<SequencedEvent?> GetOldestAsync(CancellationToken ct = default) =>
        db.ReadAsync((c, token) => c.QuerySingleAsync(EventColumns + "ORDER BY seq LIMIT 1;", ReadEvent, token), ct);

    public Task<int> TrimAsync(DateTimeOffset before, CancellationToken ct = default) =>
        db.WriteAsync((c, token) => c.ExecuteAsync(
            "DELETE FROM event_log WHERE time < $before AND seq < (SELECT MAX(seq) FROM event_log);", token,
            ("$before", before.ToDb())), ct);

    private static Task<long?> LastSeqAsync(SqliteConnection c, CancellationToken ct) =>
        c.QuerySingleAsync<long?>("SELECT last_seq FROM event_state WHERE id = 1;", r => r.GetInt64(0), ct);

    private long MicrosecondsNow() => (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;

    private static PendingEvent ReadPending(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetBytes(3), r.GetTime(4));

    private static SequencedEvent ReadEvent(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetBytes(3), r.GetTime(4));
}
