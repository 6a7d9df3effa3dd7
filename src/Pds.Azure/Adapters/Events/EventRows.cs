using System.Globalization;
using Pds.Azure.Storage;
using Pds.Core.Storage;

namespace Pds.Azure.Adapters.Events;

/// <summary>
/// The sequenced log: one partition (<c>log</c>) so assigning seq is one transaction. Rows:
/// <c>state</c> (the last seq ever assigned: the counter two sequencers race on with If-Match),
/// <c>s{seq:D19}</c> (a frame, continued in <c>s{seq}!01…</c> when large) and <c>e!{event id}</c>
/// (inserted in the same transaction, so an event delivered twice cannot get two seqs).
/// </summary>
public static class EventRows
{
    public const string Partition = "log";
    public const string State = "state";
    private const string EventPrefix = "s";

    /// <summary>':' follows '9', so [s0, s:) holds exactly the event rows (and not "state").</summary>
    public const string EventsEnd = "s:";

    public static string Event(long seq) => EventPrefix + seq.ToString("D19", CultureInfo.InvariantCulture);

    public static string Marker(string eventId) => "e!" + TableKey.Encode(eventId);

    public static List<TableEntity> Build(SequencedEvent e, string eventId) =>
        ChunkedRows.Build(Partition, Event(e.Seq), e.Frame,
        [
            new("Seq", e.Seq), new("Did", e.Did), new("Type", e.Type), new("Time", e.Time), new("Id", eventId),
        ]);

    public static SequencedEvent Read(IReadOnlyList<TableEntity> rows)
    {
        var first = rows[0];
        return new SequencedEvent(
            first.GetInt64("Seq") ?? throw Corrupt(first, "Seq"),
            first.GetString("Did") ?? throw Corrupt(first, "Did"),
            first.GetString("Type") ?? throw Corrupt(first, "Type"),
            ChunkedRows.Read(rows),
            first.GetDateTimeOffset("Time") ?? throw Corrupt(first, "Time"));
    }

    private static InvalidDataException Corrupt(TableEntity e, string property) =>
        new($"event row ({e.PartitionKey}, {e.RowKey}) has no valid {property}");
}
