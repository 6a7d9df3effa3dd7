using System.Text;
using System.Text.Json;
using Pds.Azure.Adapters.Events;
using Pds.Azure.Storage;

namespace Pds.Azure.Adapters.Backup;

/// <summary>
/// A table as newline-delimited JSON, one entity per line in the service's own typed format
/// (with <c>@odata.type</c> annotations), and back. Table Storage has no point-in-time restore,
/// so this is how tables are backed up; media blobs rely on Blob soft delete and versioning.
/// </summary>
public static class TableBackup
{
    /// <summary>Longest line accepted on import: one entity is at most 1 MiB, base64 makes it ~1.4 MiB.</summary>
    private const int MaxLineBytes = 2 * 1024 * 1024;

    /// <summary>Writes every entity of <paramref name="table"/>; returns how many.</summary>
    public static async Task<long> ExportAsync(TableClient table, Stream output, CancellationToken ct = default)
    {
        long count = 0;
        await foreach (var entity in table.QueryAsync(new TableQuery(), ct).ConfigureAwait(false))
        {
            await output.WriteAsync(TableEntityJson.Serialize(entity), ct).ConfigureAwait(false);
            output.WriteByte((byte)'\n');
            count++;
        }
        return count;
    }

    /// <summary>Upserts every line's entity into <paramref name="table"/> (one transaction per partition and 100 rows); returns how many.</summary>
    /// <exception cref="FormatException">A line is not an entity (the message names the line).</exception>
    public static async Task<long> ImportAsync(TableClient table, Stream input, CancellationToken ct = default)
    {
        long count = 0;
        var pending = new List<TableEntity>();
        using var reader = new StreamReader(input, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);
        var lineNumber = 0;
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            pending.Add(ParseLine(line, lineNumber, table.TableName));
            if (pending.Count >= 1000)
            {
                count += await FlushAsync(table, pending, ct).ConfigureAwait(false);
            }
        }
        return count + await FlushAsync(table, pending, ct).ConfigureAwait(false);
    }

    /// <summary>One backup line as an entity; anything else is a <see cref="FormatException"/> naming the line.</summary>
    internal static TableEntity ParseLine(string line, int lineNumber, string tableName)
    {
        if (line.Length > MaxLineBytes)
        {
            throw new FormatException($"{tableName} backup line {lineNumber} is longer than any entity can be");
        }
        try
        {
            using var doc = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 4 });
            return TableEntityJson.Read(doc.RootElement, etag: null);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException or OverflowException or KeyNotFoundException or InvalidCastException)
        {
            throw new FormatException($"{tableName} backup line {lineNumber} is not a table entity: {e.Message}", e);
        }
    }

    /// <summary>
    /// After the events table is restored: the next seq must exceed every seq any relay may have
    /// seen from the live PDS after the backup was taken. Seq started from the clock in
    /// microseconds and grows by one per event, far slower than the clock, so the clock now is
    /// such a floor; the counter becomes max(restored, clock).
    /// </summary>
    public static async Task<long> RaiseSeqFloorAsync(TableClient events, long clockMicroseconds, CancellationToken ct = default)
    {
        while (true)
        {
            var state = await events.GetEntityAsync(EventRows.Partition, EventRows.State, ct: ct).ConfigureAwait(false);
            var restored = state?.GetInt64("LastSeq") ?? 0;
            var floor = Math.Max(restored, clockMicroseconds);
            var row = new TableEntity(EventRows.Partition, EventRows.State).Set("LastSeq", floor);
            try
            {
                if (state is null)
                {
                    await events.InsertAsync(row, ct).ConfigureAwait(false);
                }
                else
                {
                    await events.UpdateAsync(row, state.ETag!, ct: ct).ConfigureAwait(false);
                }
                return floor;
            }
            catch (StorageRequestException e) when (e.IsConflict || e.IsPreconditionFailed)
            {
                // A sequencer moved it meanwhile: read again.
            }
        }
    }

    private static async Task<long> FlushAsync(TableClient table, List<TableEntity> pending, CancellationToken ct)
    {
        long count = 0;
        foreach (var partition in pending.GroupBy(e => e.PartitionKey))
        {
            foreach (var batch in BatchPlanner.Split(partition.Select(e => TableTransactionAction.Upsert(e))))
            {
                await table.SubmitTransactionAsync(batch, ct).ConfigureAwait(false);
                count += batch.Count;
            }
        }
        pending.Clear();
        return count;
    }
}
