using System.Collections.Concurrent;
using Pds.Azure.Adapters.Repos;
using Pds.Azure.Storage;
using Pds.Core.Storage;

namespace Pds.Azure.Adapters.Events;

/// <summary>
/// The firehose log on Table Storage. The outbox is spread over the repositories' partitions of
/// <paramref name="repos"/> (written with each commit); the sequenced log is the single
/// <c>log</c> partition of <paramref name="events"/> (see <see cref="EventRows"/>). Sequencing is
/// one transaction per batch: the counter row moves under If-Match, so two sequencers never hand
/// out the same seq, and each event's marker row is inserted alongside, so an event never gets
/// two. The outbox rows are removed afterwards; a crash in between only leaves rows the next
/// pass recognises by their marker and removes.
/// </summary>
public sealed class AzureEventLog(TableClient repos, TableClient events, TimeProvider time) : IEventLog
{
    /// <summary>Where each pending event read by this process lives, so sequencing can remove it without a lookup.</summary>
    private readonly ConcurrentDictionary<string, (string PartitionKey, string[] RowKeys)> _outboxRows = new(StringComparer.Ordinal);

    public async Task AppendPendingAsync(PendingEvent pending, CancellationToken ct = default)
    {
        var rows = OutboxRows.Build(pending);
        try
        {
            if (rows.Count == 1)
            {
                await repos.InsertAsync(rows[0], ct).ConfigureAwait(false);
            }
            else
            {
                await repos.SubmitTransactionAsync([.. rows.Select(TableTransactionAction.Insert)], ct).ConfigureAwait(false);
            }
        }
        catch (StorageRequestException e) when (e.IsConflict)
        {
            // The same event appended twice (a retried request): once is enough.
        }
    }

    /// <summary>
    /// Every repository's outbox (a scan across partitions: the sweep after lost wake-ups), oldest
    /// first by the outbox clock.
    /// </summary>
    public async Task<IReadOnlyList<PendingEvent>> GetPendingAsync(int limit, CancellationToken ct = default)
    {
        var filter = $"RowKey ge {TableFilter.Quote(RepoRows.OutboxPrefix)} and RowKey lt {TableFilter.Quote("o\"")}";
        var all = await ReadOutboxAsync(repos.QueryAsync(new TableQuery(filter), ct)).ConfigureAwait(false);
        return [.. all.OrderBy(p => p.Key, StringComparer.Ordinal).Take(limit).Select(p => p.Event)];
    }

    public async Task<IReadOnlyList<PendingEvent>> GetPendingForAsync(string did, int limit, CancellationToken ct = default)
    {
        var filter = TableFilter.RowKeyPrefix(RepoRows.Partition(did), RepoRows.OutboxPrefix);
        var all = await ReadOutboxAsync(repos.QueryAsync(new TableQuery(filter), ct), limit).ConfigureAwait(false);
        return [.. all.Select(p => p.Event)];
    }

    public async Task<IReadOnlyList<SequencedEvent>> SequenceAsync(
        IReadOnlyList<PendingEvent> pending, Func<PendingEvent, long, byte[]> frame, CancellationToken ct = default)
    {
        var todo = pending.ToList();
        var stored = new List<SequencedEvent>(todo.Count);
        var done = new List<PendingEvent>(todo.Count);
        while (todo.Count > 0)
        {
            var state = await events.GetEntityAsync(EventRows.Partition, EventRows.State, ct: ct).ConfigureAwait(false);
            var last = state?.GetInt64("LastSeq");
            // The very first seq is the clock in microseconds (ahead of any cursor from an earlier install).
            var next = last + 1 ?? MicrosecondsNow();
            // Every frame is built before anything is written: a failing builder sequences nothing.
            var batch = new List<(PendingEvent Pending, SequencedEvent Event, List<TableEntity> Rows)>();
            // Slot 0 is the counter row; a placeholder of the same size until the last seq is known.
            var actions = new List<TableTransactionAction> { TableTransactionAction.Upsert(StateRow(0)) };
            foreach (var p in todo)
            {
                var seq = next + batch.Count;
                var e = new SequencedEvent(seq, p.Did, p.Type, frame(p, seq), p.Time);
                var rows = EventRows.Build(e, p.Id);
                List<TableTransactionAction> more = [.. rows.Select(TableTransactionAction.Insert),
                    TableTransactionAction.Insert(new TableEntity(EventRows.Partition, EventRows.Marker(p.Id)).Set("Seq", seq))];
                if (batch.Count > 0 && !BatchPlanner.Fits([.. actions, .. more]))
                {
                    break;
                }
                batch.Add((p, e, rows));
                actions.AddRange(more);
            }
            var newState = StateRow(batch[^1].Event.Seq);
            actions[0] = state is null ? TableTransactionAction.Insert(newState) : TableTransactionAction.Update(newState, state.ETag);
            try
            {
                await events.SubmitTransactionAsync(actions, ct).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException e) when (e.FailedActionIndex is 0 || (e.FailedActionIndex is null && (e.IsConflict || e.IsPreconditionFailed)))
            {
                // Another sequencer moved the counter: read it again and renumber.
                continue;
            }
            catch (TableTransactionFailedException e) when (e.IsConflict && e.FailedActionIndex is { } i && actions[i].Entity.RowKey.StartsWith("e!", StringComparison.Ordinal))
            {
                // That event was sequenced already (by a racing sequencer, or before a crash): drop it, keep its outbox cleanup.
                var id = TableKey.Decode(actions[i].Entity.RowKey[2..]);
                var dup = todo.First(p => p.Id == id);
                todo.Remove(dup);
                done.Add(dup);
                continue;
            }
            stored.AddRange(batch.Select(b => b.Event));
            done.AddRange(batch.Select(b => b.Pending));
            todo.RemoveRange(0, batch.Count);
        }
        await RemoveFromOutboxAsync(done, ct).ConfigureAwait(false);
        return stored;
    }

    public async Task<IReadOnlyList<SequencedEvent>> ReadAsync(long afterSeq, int limit, CancellationToken ct = default) =>
        await ReadFromAsync(afterSeq < 0 ? "s0" : EventRows.Event(afterSeq + 1), limit, ct).ConfigureAwait(false);

    public async Task<long?> GetLatestSeqAsync(CancellationToken ct = default) =>
        (await events.GetEntityAsync(EventRows.Partition, EventRows.State, ct: ct).ConfigureAwait(false))?.GetInt64("LastSeq");

    public async Task<SequencedEvent?> GetOldestAsync(CancellationToken ct = default) =>
        (await ReadFromAsync("s0", 1, ct).ConfigureAwait(false)).FirstOrDefault();

    /// <summary>Oldest first, stopping at the first event that is recent enough or the latest one.</summary>
    public async Task<int> TrimAsync(DateTimeOffset before, CancellationToken ct = default)
    {
        var latest = await GetLatestSeqAsync(ct).ConfigureAwait(false);
        var doomed = new List<(string, string)>();
        var count = 0;
        var filter = $"{TableFilter.PartitionKeyEquals(EventRows.Partition)} and RowKey ge 's0' and RowKey lt {TableFilter.Quote(EventRows.EventsEnd)}";
        await foreach (var rows in ChunkedRows.GroupAsync(events.QueryAsync(new TableQuery(filter, ["PartitionKey", "RowKey", "Seq", "Time", "Id", "Rows"]), ct)).ConfigureAwait(false))
        {
            var first = rows[0];
            if (first.GetDateTimeOffset("Time") >= before || first.GetInt64("Seq") >= latest)
            {
                break;
            }
            doomed.AddRange(rows.Select(r => (EventRows.Partition, r.RowKey)));
            if (first.GetString("Id") is { } id)
            {
                doomed.Add((EventRows.Partition, EventRows.Marker(id)));
            }
            count++;
        }
        await BatchPlanner.DeleteAsync(events, doomed, ct).ConfigureAwait(false);
        return count;
    }

    private async Task<List<SequencedEvent>> ReadFromAsync(string fromKey, int limit, CancellationToken ct)
    {
        var filter = $"{TableFilter.PartitionKeyEquals(EventRows.Partition)} and RowKey ge {TableFilter.Quote(fromKey)} and RowKey lt {TableFilter.Quote(EventRows.EventsEnd)}";
        var result = new List<SequencedEvent>(Math.Min(limit, 1000));
        await foreach (var rows in ChunkedRows.GroupAsync(events.QueryAsync(new TableQuery(filter, Top: Math.Min(limit + 1, 1000)), ct)).ConfigureAwait(false))
        {
            result.Add(EventRows.Read(rows));
            if (result.Count == limit)
            {
                break;
            }
        }
        return result;
    }

    private async Task<List<(string Key, PendingEvent Event)>> ReadOutboxAsync(IAsyncEnumerable<TableEntity> rows, int limit = int.MaxValue)
    {
        var result = new List<(string, PendingEvent)>();
        await foreach (var group in ChunkedRows.GroupAsync(rows).ConfigureAwait(false))
        {
            var e = OutboxRows.Read(group);
            _outboxRows[e.Id] = (group[0].PartitionKey, [.. group.Select(r => r.RowKey)]);
            result.Add((group[0].RowKey, e));
            if (result.Count == limit)
            {
                break;
            }
        }
        return result;
    }

    private async Task RemoveFromOutboxAsync(List<PendingEvent> done, CancellationToken ct)
    {
        var rows = new List<(string, string)>();
        foreach (var p in done)
        {
            if (_outboxRows.TryRemove(p.Id, out var where))
            {
                rows.AddRange(where.RowKeys.Select(k => (where.PartitionKey, k)));
                continue;
            }
            // Not read through this process: find it by id in its repository's outbox.
            var filter = TableFilter.RowKeyPrefix(RepoRows.Partition(p.Did), RepoRows.OutboxPrefix) + " and Id eq " + TableFilter.Quote(p.Id);
            await foreach (var first in repos.QueryAsync(new TableQuery(filter), ct).ConfigureAwait(false))
            {
                rows.AddRange((await ChunkedRows.ReadAllRowsAsync(repos, first, ct).ConfigureAwait(false)).Select(r => (r.PartitionKey, r.RowKey)));
            }
        }
        await BatchPlanner.DeleteAsync(repos, rows, ct).ConfigureAwait(false);
    }

    private static TableEntity StateRow(long lastSeq) => new TableEntity(EventRows.Partition, EventRows.State).Set("LastSeq", lastSeq);

    private long MicrosecondsNow() => (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
}
