using Microsoft.Data.Sqlite;

namespace Pds.Sqlite;

/// <summary>
/// Forward-only schema migrations. Migration i (1-based) brings the schema to version i; each
/// runs in its own transaction with the row that records it. Never edit a shipped migration:
/// append a new one. A database newer than this binary is refused rather than guessed at.
/// </summary>
internal static class SqliteMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
        [new(SqliteSchema.V1), new(SqliteSchema.V2), new(SqliteSchema.V3, SqliteCompaction.CompactAllAsync), new(SqliteSchema.V4), new(SqliteSchema.V5)];

    public static int Latest => All.Count;

    public static Task ApplyAsync(SqliteDatabase db, CancellationToken ct) => ApplyAsync(db, Latest, ct);

    /// <summary>Migrates up to <paramref name="target"/> (tests start from an older schema this way).</summary>
    internal static async Task ApplyAsync(SqliteDatabase db, int target, CancellationToken ct)
    {
        await db.WriteAsync(
            (c, token) => c.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);", token),
            ct).ConfigureAwait(false);
        for (var applied = await GetVersionAsync(db, ct).ConfigureAwait(false); applied < target; applied++)
        {
            var next = applied + 1;
            await db.WriteAsync(async (c, token) =>
            {
                // Re-check inside the write transaction: another process may have migrated meanwhile.
                if (await CurrentAsync(c, token).ConfigureAwait(false) >= next)
                {
                    return;
                }
                var migration = All[next - 1];
                await c.ExecuteAsync(migration.Sql, token).ConfigureAwait(false);
                if (migration.Then is not null)
                {
                    await migration.Then(c, token).ConfigureAwait(false);
                }
                await c.ExecuteAsync(
                    "INSERT INTO schema_version (version, applied_at) VALUES ($v, $at);", token,
                    ("$v", next), ("$at", DateTimeOffset.UtcNow.ToDb())).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
        }
    }

    public static async Task<int> GetVersionAsync(SqliteDatabase db, CancellationToken ct)
    {
        var version = await db.ReadAsync(CurrentAsync, ct).ConfigureAwait(false);
        if (version > Latest)
        {
            throw new InvalidOperationException(
                $"database {db.Path} has schema version {version}, newer than this build understands ({Latest}); upgrade the server");
        }
        return version;
    }

    private static async Task<int> CurrentAsync(SqliteConnection c, CancellationToken ct) =>
        (int)(await c.QuerySingleAsync<long?>("SELECT MAX(version) FROM schema_version;", r => r.IsDBNull(0) ? 0 : r.GetInt64(0), ct)
            .ConfigureAwait(false) ?? 0);
}

/// <summary>One schema step: SQL, then optionally code over the data, in the same transaction.</summary>
internal sealed record Migration(string Sql, Func<SqliteConnection, CancellationToken, Task>? Then = null);
