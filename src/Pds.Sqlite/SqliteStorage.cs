namespace Pds.Sqlite;

/// <summary>
/// The embedded backend, wired: one database file for every table store, a blob directory, and
/// the local key store. Opening migrates the schema and checks the master key, so a misconfigured
/// server fails at startup.
/// </summary>
public sealed class SqliteStorage : IAsyncDisposable
{
    private SqliteStorage(SqliteDatabase db, SqliteStorageOptions options, LocalKeyStore keys)
    {
        Database = db;
        Repos = new SqliteRepoStore(db);
        Events = new SqliteEventLog(db, options.TimeProvider);
        Accounts = new SqliteAccountStore(db);
        Sessions = new SqliteSessionStore(db);
        Invites = new SqliteInviteStore(db);
        Preferences = new SqlitePreferenceStore(db);
        BlobIndex = new SqliteBlobIndex(db);
        Blobs = new FileBlobStore(options.BlobDirectory ?? Path.Combine(options.DataDirectory, "blobs"));
        Keys = keys;
    }

    public SqliteDatabase Database { get; }
    public SqliteRepoStore Repos { get; }
    public SqliteEventLog Events { get; }
    public SqliteAccountStore Accounts { get; }
    public SqliteSessionStore Sessions { get; }
    public SqliteInviteStore Invites { get; }
    public SqlitePreferenceStore Preferences { get; }
    public SqliteBlobIndex BlobIndex { get; }
    public FileBlobStore Blobs { get; }
    public LocalKeyStore Keys { get; }

    public static async Task<SqliteStorage> OpenAsync(SqliteStorageOptions options, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(options.DataDirectory);
        Directory.CreateDirectory(options.DataDirectory);
        var db = await SqliteDatabase.OpenAsync(Path.Combine(options.DataDirectory, options.DatabaseFileName), ct).ConfigureAwait(false);
        LocalKeyStore? keys = null;
        try
        {
            keys = new LocalKeyStore(db, options.MasterKey.Span);
            await keys.VerifyMasterKeyAsync(ct).ConfigureAwait(false);
            return new SqliteStorage(db, options, keys);
        }
        catch
        {
            keys?.Dispose();
            await db.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Keys.Dispose();
        await Database.DisposeAsync().ConfigureAwait(false);
    }
}
