using Pds.Core.Services;
using Pds.Core.Storage;
using Pds.Functions.Firehose;
using Pds.Sqlite;

namespace Pds.Functions.Hosting;

/// <summary>The embedded default: one SQLite database in the data directory, blobs as files, keys encrypted at rest.</summary>
public sealed class SqliteBackend(SqliteStorage storage) : IPdsBackend
{
    public static async Task<SqliteBackend> OpenAsync(PdsConfig config, PdsSecrets secrets, TimeProvider clock)
    {
        var storage = await SqliteStorage.OpenAsync(new SqliteStorageOptions
        {
            DataDirectory = config.DataDirectory,
            BlobDirectory = config.BlobstoreDirectory,
            MasterKey = secrets.KeyEncryptionKey,
            TimeProvider = clock,
        });
        return new SqliteBackend(storage);
    }

    public void Register(IServiceCollection services)
    {
        services.AddSingleton(storage.Database);
        services.AddSingleton<IRepoStore>(storage.Repos);
        services.AddSingleton<IEventLog>(storage.Events);
        services.AddSingleton<IAccountStore>(storage.Accounts);
        services.AddSingleton<ISessionStore>(storage.Sessions);
        services.AddSingleton<IInviteStore>(storage.Invites);
        services.AddSingleton<IPreferenceStore>(storage.Preferences);
        services.AddSingleton<IBlobIndex>(storage.BlobIndex);
        services.AddSingleton<IBlobStore>(storage.Blobs);
        services.AddSingleton<IKeyStore>(storage.Keys);
        services.AddSingleton<ISequencerSignal>(sp => sp.GetRequiredService<ChannelSequencerSignal>());
    }

    public ValueTask DisposeAsync() => storage.DisposeAsync();
}
