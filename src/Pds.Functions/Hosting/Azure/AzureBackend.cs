using Azure.Core;
using Azure.Identity;
using Pds.Azure.Adapters.Accounts;
using Pds.Azure.Adapters.Blobs;
using Pds.Azure.Adapters.BlobIndex;
using Pds.Azure.Adapters.Events;
using Pds.Azure.Adapters.Invites;
using Pds.Azure.Adapters.Keys;
using Pds.Azure.Adapters.Preferences;
using Pds.Azure.Adapters.Repos;
using Pds.Azure.Adapters.Sessions;
using Pds.Azure.Adapters.Tables;
using Pds.Azure.KeyVault;
using Pds.Azure.Storage;
using Pds.Core.Crypto;
using Pds.Core.Services;
using Pds.Core.Storage;

namespace Pds.Functions.Hosting.Azure;

/// <summary>
/// The Azure backend (PDS_STORAGE_BACKEND=azure): Table Storage for repositories, the firehose
/// log and the simple stores, Blob Storage for media, a Storage queue to wake the sequencer, and
/// account keys sealed locally, wrapped by Key Vault, or held by Key Vault. Names are
/// <c>{PDS_STORAGE_PREFIX}repos</c>, <c>…events</c>, <c>…keys</c>, the simple stores' tables,
/// container <c>…blobs</c> and queue <c>…pds-seq</c>; a local run creates them, a deployment's
/// Bicep does (so a cold start spends no requests on it).
/// </summary>
public sealed class AzureBackend : IPdsBackend
{
    private readonly List<Action<IServiceCollection>> _registrations = [];

    private AzureBackend()
    {
    }

    /// <summary>In Key Vault sign mode the PLC rotation key is a vault key too; otherwise null (the secret's key).</summary>
    public ISigner? PlcRotationKey { get; private set; }

    public static async Task<AzureBackend> OpenAsync(PdsConfig config, PdsSecrets secrets, TimeProvider clock, CancellationToken ct = default)
    {
        var credential = Credential(config);
        var connection = Connection(config, credential);
        var prefix = config.StoragePrefix;
        // One counter for every client: storage round trips per operation, for logs and measurements.
        var counter = new StorageRequestCounter();
        var options = new StorageClientOptions { Counter = counter };
        var simple = new SimpleStoreTables(connection, prefix, options);
        var repoTable = new TableClient(connection, prefix + "repos", options);
        var eventTable = new TableClient(connection, prefix + "events", options);
        var keyTable = new TableClient(connection, prefix + "keys", options);
        var blobContainer = new BlobClient(connection, prefix + "blobs", options);
        var queue = new QueueClient(connection, prefix + SequencerQueue.Name, options);
        if (config.IsLocal)
        {
            await simple.CreateIfNotExistsAsync(ct);
            foreach (var table in new[] { repoTable, eventTable, keyTable })
            {
                await table.CreateIfNotExistsAsync(ct);
            }
            await blobContainer.CreateContainerIfNotExistsAsync(ct);
            await queue.CreateIfNotExistsAsync(ct);
        }

        var backend = new AzureBackend();
        var keys = await OpenKeyStoreAsync(config, secrets, credential, keyTable, backend, ct);
        var signal = new QueueSequencerSignal(queue);
        var repos = new AzureRepoStore(repoTable, new AzureRepoStoreOptions { TimeProvider = clock });
        var events = new AzureEventLog(repoTable, eventTable, clock);
        backend._registrations.Add(services =>
        {
            services.AddSingleton<IRepoStore>(repos);
            services.AddSingleton<IEventLog>(events);
            services.AddSingleton<IAccountStore>(new CachedAccountStore(new AzureAccountStore(simple.Accounts), clock, TimeSpan.FromSeconds(5)));
            services.AddSingleton<ISessionStore>(new AzureSessionStore(simple.Sessions));
            services.AddSingleton<IInviteStore>(new AzureInviteStore(simple.Invites));
            services.AddSingleton<IPreferenceStore>(new AzurePreferenceStore(simple.Preferences));
            services.AddSingleton<IBlobIndex>(new AzureBlobIndex(simple.BlobIndex));
            services.AddSingleton<IBlobStore>(new AzureBlobStore(blobContainer));
            services.AddSingleton(keys);
            services.AddSingleton(signal);
            services.AddSingleton<ISequencerSignal>(signal);
            services.AddSingleton(new SequencerQueue(queue));
            services.AddSingleton(counter);
        });
        return backend;
    }

    public void Register(IServiceCollection services)
    {
        foreach (var register in _registrations)
        {
            register(services);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static async Task<IKeyStore> OpenKeyStoreAsync(
        PdsConfig config, PdsSecrets secrets, TokenCredential? credential, TableClient keyTable, AzureBackend backend, CancellationToken ct)
    {
        if (config.KeyVaultUrl is null)
        {
            return new SealedKeyStore(keyTable, secrets.KeyEncryptionKey);
        }
        var vault = new KeyVaultKeysClient(config.KeyVaultUrl, credential ?? throw new ConfigException("Key Vault needs a managed identity or AZURE_* credentials"));
        if (config.KeyVaultMode == KeyVaultMode.Wrap)
        {
            var wrapped = new WrappedKeyStore(vault, keyTable, new WrappedKeyStoreSettings { WrappingKeyName = config.KeyVaultWrapKeyName });
            // A missing or unusable wrapping key fails the start, not the first signup.
            await wrapped.VerifyWrappingKeyAsync(ct);
            return wrapped;
        }
        backend.PlcRotationKey = await KeyVaultNamedKey.GetOrCreateAsync(vault, keyTable, ct: ct);
        return new KeyVaultKeyStore(vault, keyTable);
    }

    /// <summary>Managed identity (or the environment's AZURE_* settings) when no account key is configured.</summary>
    internal static TokenCredential? Credential(PdsConfig config) =>
        config.AzureStorageConnectionString is not null && config.KeyVaultUrl is null
            ? null
            : config.AzureClientId is { } clientId
                ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
                : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ExcludeInteractiveBrowserCredential = true });

    internal static StorageConnection Connection(PdsConfig config, TokenCredential? credential)
    {
        if (config.AzureStorageConnectionString is { } connectionString)
        {
            try
            {
                return StorageConnection.Parse(connectionString);
            }
            catch (Exception e) when (e is FormatException or NotSupportedException)
            {
                // The parser's messages name the setting at fault, never the key.
                throw new ConfigException("AzureWebJobsStorage: " + e.Message);
            }
        }
        if (config.AzureStorageAccountName is { } account)
        {
            return StorageConnection.WithCredential(account, credential!);
        }
        throw new ConfigException("PDS_STORAGE_BACKEND=azure needs AzureWebJobsStorage (a connection string) or AzureWebJobsStorage__accountName (managed identity)");
    }
}
