using Microsoft.Data.Sqlite;

namespace Pds.Sqlite;

/// <summary>Small helpers that keep the stores' SQL readable: parameters inline, rows mapped by a lambda.</summary>
internal static class SqlCommands
{
    /// <summary>A command on <paramref name="connection"/> (joined to its open transaction, if any).</summary>
    public static SqliteCommand Sql(this SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> args)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        Bind(command, args);
        return command;
    }

    private static void Bind(SqliteCommand command, ReadOnlySpan<(string Name, object? Value)> args)
    {
        foreach (var (name, value) in args)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
    }

    public static async Task<int> ExecuteAsync(
        this SqliteConnection connection, string sql, CancellationToken ct, params (string Name, object? Value)[] args)
    {
        await using var statement = Prepare(connection, sql, args);
        return await statement.Command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public static async Task<List<T>> QueryAsync<T>(
        this SqliteConnection connection, string sql, Func<SqliteDataReader, T> map, CancellationToken ct,
        params (string Name, object? Value)[] args)
    {
        await using var statement = Prepare(connection, sql, args);
        await using var reader = await statement.Command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(map(reader));
        }
        return rows;
    }

    /// <summary>The first row mapped, or default when there is none.</summary>
    public static async Task<T?> QuerySingleAsync<T>(
        this SqliteConnection connection, string sql, Func<SqliteDataReader, T> map, CancellationToken ct,
        params (string Name, object? Value)[] args)
    {
        await using var statement = Prepare(connection, sql, args);
        await using var reader = await statement.Command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? map(reader) : default;
    }

    /// <summary>
    /// The session's kept command when there is one (the helpers read every row before they
    /// return, so no reader outlives the call and the command is free for the next one), else a
    /// command of its own that the caller's dispose frees.
    /// </summary>
    private static Statement Prepare(SqliteConnection connection, string sql, ReadOnlySpan<(string Name, object? Value)> args)
    {
        if ((connection as SqliteSession)?.Statement(sql) is { } kept)
        {
            Bind(kept, args);
            return new Statement(kept, Owned: false);
        }
        return new Statement(connection.Sql(sql, args), Owned: true);
    }

    private readonly record struct Statement(SqliteCommand Command, bool Owned) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Owned ? Command.DisposeAsync() : ValueTask.CompletedTask;
    }

    /// <summary>Deletes the rows of <paramref name="did"/> from each table (names are ours, never input).</summary>
    public static async Task DeleteForDidAsync(this SqliteConnection connection, string did, CancellationToken ct, params string[] tables)
    {
        foreach (var table in tables)
        {
            await connection.ExecuteAsync($"DELETE FROM {table} WHERE did = $did;", ct, ("$did", did)).ConfigureAwait(false);
        }
    }

    public static byte[] GetBytes(this SqliteDataReader reader, int ordinal) => (byte[])reader.GetValue(ordinal);

    public static string? GetNullableString(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Times are stored as UTC ticks: exact, and ordered as integers.</summary>
    public static DateTimeOffset GetTime(this SqliteDataReader reader, int ordinal) =>
        new(reader.GetInt64(ordinal), TimeSpan.Zero);

    public static long ToDb(this DateTimeOffset time) => time.UtcTicks;
}
