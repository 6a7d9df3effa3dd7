using Pds.Core.Storage;
using Pds.Sqlite;

namespace Pds.Functions.Hosting;

/// <summary>The embedded default: one SQLite database in the data directory, blobs as files, keys encrypted at rest.</summary>
public sealed class SqliteBackend(SqliteDatabase db, string blobDirectory, byte[] keyEncryptionKey) : IAsyncDisposable
{
    public const string DatabaseFile = "pds.sqlite";

    public static async Task<SqliteBackend> OpenAsync(PdsConfig config, PdsSecrets secrets)
    {
        Directory.CreateDirectory(config.DataDirectory);
        var db = await SqliteDatabase.OpenAsync(Path.Combine(config.DataDirectory, DatabaseFile));
        return new SqliteBackend(db, config.BlobstoreDirectory, secrets.KeyEncryptionKey);
    }

    public void Register(IServiceCollection services)
    {
        services.AddSingleton(db);
        services.AddSingleton<IRepoStore>(new SqliteRepoStore(db));
        services.AddSingleton<IEventLog>(sp => new SqliteEventLog(db, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IAccountStore>(new SqliteAccountStore(db));
        services.AddSingleton<ISessionStore>(new SqliteSessionStore(db));
        services.AddSingleton<IInviteStore>(new SqliteInviteStore(db));
        services.AddSingleton<IPreferenceStore>(new SqlitePreferenceStore(db));
        services.AddSingleton<IBlobIndex>(new SqliteBlobIndex(db));
        services.AddSingleton<IBlobStore>(new FileBlobStore(blobDirectory));
        services.AddSingleton<IKeyStore>(new LocalKeyStore(db, keyEncryptionKey));
    }

    public ValueTask DisposeAsync() => db.DisposeAsync();
}
