namespace Pds.Functions.Hosting;

/// <summary>A storage backend, opened and checked at startup, that registers every storage interface.</summary>
public interface IPdsBackend : IAsyncDisposable
{
    void Register(IServiceCollection services);

    /// <summary>The PLC rotation key when the backend holds it (Key Vault sign mode); null = the configured secret.</summary>
    Pds.Core.Crypto.ISigner? PlcRotationKey => null;
}

public static class PdsBackends
{
    public static async Task<IPdsBackend> OpenAsync(PdsConfig config, PdsSecrets secrets, TimeProvider clock) =>
        config.StorageBackend switch
        {
            StorageBackend.Azure => await Azure.AzureBackend.OpenAsync(config, secrets, clock),
            _ => await SqliteBackend.OpenAsync(config, secrets, clock),
        };
}

/// <summary>PDS_STORAGE_BACKEND.</summary>
public enum StorageBackend
{
    Sqlite,
    Azure,
}
