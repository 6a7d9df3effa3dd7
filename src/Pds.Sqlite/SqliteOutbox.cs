using Microsoft.Data.Sqlite;
using Pds.Core.Storage;

namespace Pds.Sqlite;

/// <summary>The outbox table, written by commits and by <see cref="SqliteEventLog"/> alike.</summary>
internal static class SqliteOutbox
{
    public static Task<int> InsertAsync(SqliteConnection c, PendingEvent pending, CancellationToken ct) =>
        c.ExecuteAsync(
            "INSERT INTO event_outbox (event_id, did, type, body, time) VALUES ($id, $did, $type, $body, $time);", ct,
            ("$id", pending.Id), ("$did", pending.Did), ("$type", pending.Type), ("$body", pending.Body), ("$time", pending.Time.ToDb()));
}
