using System.Data;
using Microsoft.Data.Sqlite;

namespace Pds.Sqlite;

/// <summary>
/// A connection <see cref="SqliteDatabase"/> keeps open between uses. Its pragmas were applied
/// once, when it opened, and it keeps its commands: Microsoft.Data.Sqlite prepares a command's
/// SQL again for every new command object, and in the createRecord profile parsing and planning
/// were the largest part of SQLite's time. Used by one caller at a time (the database rents it out).
/// </summary>
internal sealed class SqliteSession(string connectionString) : SqliteConnection(connectionString)
{
    /// <summary>
    /// The stores' SQL is constant text except statements with a variable number of parameters
    /// (a commit's removed blocks); past this many the rest run uncached instead of growing the cache.
    /// </summary>
    internal const int MaxStatements = 128;

    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);
    private SqliteTransaction? _transaction;

    internal int CachedStatements => _statements.Count;

    /// <summary>Every BeginTransaction overload ends here; remembered so cached commands can join it.</summary>
    public override SqliteTransaction BeginTransaction(IsolationLevel isolationLevel, bool deferred)
    {
        _transaction = base.BeginTransaction(isolationLevel, deferred);
        return _transaction;
    }

    /// <summary>
    /// The kept command for <paramref name="sql"/>, parameters cleared and joined to the open
    /// transaction (Microsoft.Data.Sqlite refuses a command whose transaction is not the
    /// connection's); null when the cache is full and the caller should use a command of its own.
    /// </summary>
    internal SqliteCommand? Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var command))
        {
            if (_statements.Count >= MaxStatements)
            {
                return null;
            }
            command = CreateCommand();
            command.CommandText = sql;
            _statements.Add(sql, command);
        }
        command.Parameters.Clear();
        // A committed or rolled-back transaction lets go of its connection.
        command.Transaction = _transaction?.Connection is null ? null : _transaction;
        return command;
    }

    /// <summary>False while a transaction is open: such a connection must not go back to the pool.</summary>
    internal bool IsIdle => State == ConnectionState.Open && SQLitePCL.raw.sqlite3_get_autocommit(Handle) != 0;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var command in _statements.Values)
            {
                command.Dispose();
            }
            _statements.Clear();
            _transaction = null;
        }
        base.Dispose(disposing);
    }
}
