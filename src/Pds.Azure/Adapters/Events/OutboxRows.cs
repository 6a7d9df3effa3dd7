using System.Globalization;
using Pds.Azure.Adapters.Repos;
using Pds.Azure.Storage;
using Pds.Core.Storage;

namespace Pds.Azure.Adapters.Events;

/// <summary>
/// Outbox events live in their repository's partition (<c>o!{ticks}!{id}</c>), because only
/// there can they be written in the same transaction as the commit they announce. The tick part
/// orders one repository's events; it comes from a per-process clock that never repeats or goes
/// back, since several events are often stamped with the same instant (account creation's
/// #identity, #account and first #commit) and must still leave in that order.
/// </summary>
public static class OutboxRows
{
    private static long s_lastTicks;

    public static List<TableEntity> Build(PendingEvent pending)
    {
        var key = RepoRows.OutboxPrefix + NextTicks(pending.Time).ToString("D19", CultureInfo.InvariantCulture) + "!" + TableKey.Encode(pending.Id);
        return ChunkedRows.Build(RepoRows.Partition(pending.Did), key, pending.Body,
        [
            new("Id", pending.Id), new("Did", pending.Did), new("Type", pending.Type), new("Time", pending.Time),
        ]);
    }

    public static PendingEvent Read(IReadOnlyList<TableEntity> rows)
    {
        var first = rows[0];
        return new PendingEvent(
            first.GetString("Id") ?? throw Corrupt(first, "Id"),
            first.GetString("Did") ?? throw Corrupt(first, "Did"),
            first.GetString("Type") ?? throw Corrupt(first, "Type"),
            ChunkedRows.Read(rows),
            first.GetDateTimeOffset("Time") ?? throw Corrupt(first, "Time"));
    }

    /// <summary>Strictly increasing within the process and never below the event's own time.</summary>
    private static long NextTicks(DateTimeOffset time)
    {
        while (true)
        {
            var last = Interlocked.Read(ref s_lastTicks);
            var next = Math.Max(time.UtcTicks, last + 1);
            if (Interlocked.CompareExchange(ref s_lastTicks, next, last) == last)
            {
                return next;
            }
        }
    }

    private static InvalidDataException Corrupt(TableEntity e, string property) =>
        new($"outbox row ({e.PartitionKey}, {e.RowKey}) has no valid {property}");
}
