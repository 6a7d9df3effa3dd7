using Azure.Core;

namespace Pds.Azure.Storage;

/// <summary>
/// Where a storage account is and how to authenticate to it: a Shared Key (connection strings,
/// Azurite) or a <see cref="TokenCredential"/> (managed identity in production). The key never
/// leaves this object except as request signatures; <see cref="ToString"/> omits it.
/// </summary>
public sealed class StorageConnection
{
    /// <summary>Azurite's well-known development account (public, documented by Microsoft).</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    private const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private StorageConnection(
        string accountName, Uri? blob, Uri? queue, Uri? table,
        StorageSharedKey? sharedKey, TokenCredential? credential)
    {
        AccountName = accountName;
        BlobEndpoint = blob;
        QueueEndpoint = queue;
        TableEndpoint = table;
        SharedKey = sharedKey;
        Credential = credential;
    }

    public string AccountName { get; }
    public Uri? BlobEndpoint { get; }
    public Uri? QueueEndpoint { get; }
    public Uri? TableEndpoint { get; }

    /// <summary>True when requests are signed with the account key, false for bearer tokens.</summary>
    public bool UsesSharedKey => SharedKey is not null;

    internal StorageSharedKey? SharedKey { get; }
    internal TokenCredential? Credential { get; }

    /// <summary>
    /// Parses an Azure Storage connection string: <c>UseDevelopmentStorage=true</c>, or
    /// <c>AccountName</c> + <c>AccountKey</c> with <c>DefaultEndpointsProtocol</c>/<c>EndpointSuffix</c>
    /// and optional <c>BlobEndpoint</c>/<c>QueueEndpoint</c>/<c>TableEndpoint</c>.
    /// Error messages name the setting at fault, never the value.
    /// </summary>
    public static StorageConnection Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException("storage connection string: every setting must be name=value");
            }
            // Keys end in '=' padding, so split at the first '=' only.
            settings[part[..eq].Trim()] = part[(eq + 1)..].Trim();
        }

        if (settings.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var isDev) && isDev)
        {
            return Development(new Uri("http://127.0.0.1:10000"), new Uri("http://127.0.0.1:10001"), new Uri("http://127.0.0.1:10002"));
        }
        if (settings.ContainsKey("SharedAccessSignature"))
        {
            throw new NotSupportedException("storage connection string: SAS connection strings are not supported; use an account key or a token credential");
        }
        if (!settings.TryGetValue("AccountName", out var account) || account.Length == 0)
        {
            throw new FormatException("storage connection string: AccountName is missing");
        }
        if (!settings.TryGetValue("AccountKey", out var key) || key.Length == 0)
        {
            throw new FormatException("storage connection string: AccountKey is missing");
        }
        var protocol = settings.GetValueOrDefault("DefaultEndpointsProtocol", "https");
        if (protocol is not ("http" or "https"))
        {
            throw new FormatException("storage connection string: DefaultEndpointsProtocol must be http or https");
        }
        var suffix = settings.GetValueOrDefault("EndpointSuffix", "core.windows.net");
        return new StorageConnection(
            account,
            Endpoint(settings, "BlobEndpoint", protocol, account, "blob", suffix),
            Endpoint(settings, "QueueEndpoint", protocol, account, "queue", suffix),
            Endpoint(settings, "TableEndpoint", protocol, account, "table", suffix),
            new StorageSharedKey(account, key), credential: null);
    }

    /// <summary>Azurite's development account at the given service roots (path-style: the account is appended).</summary>
    public static StorageConnection Development(Uri blobRoot, Uri queueRoot, Uri tableRoot) =>
        new(DevelopmentAccountName,
            StorageUrl.Combine(blobRoot, DevelopmentAccountName),
            StorageUrl.Combine(queueRoot, DevelopmentAccountName),
            StorageUrl.Combine(tableRoot, DevelopmentAccountName),
            new StorageSharedKey(DevelopmentAccountName, DevelopmentAccountKey), credential: null);

    /// <summary>The connection string of Azurite's development account at the given service roots (for settings such as AzureWebJobsStorage).</summary>
    public static string DevelopmentConnectionString(Uri blobRoot, Uri queueRoot, Uri tableRoot) =>
        $"DefaultEndpointsProtocol=http;AccountName={DevelopmentAccountName};AccountKey={DevelopmentAccountKey};" +
        $"BlobEndpoint={StorageUrl.Combine(blobRoot, DevelopmentAccountName)};" +
        $"QueueEndpoint={StorageUrl.Combine(queueRoot, DevelopmentAccountName)};" +
        $"TableEndpoint={StorageUrl.Combine(tableRoot, DevelopmentAccountName)};";

    /// <summary>Shared Key access with explicit endpoints (any of which may be null when unused).</summary>
    public static StorageConnection WithSharedKey(string accountName, string accountKey, Uri? blobEndpoint, Uri? queueEndpoint, Uri? tableEndpoint) =>
        new(accountName, blobEndpoint, queueEndpoint, tableEndpoint, new StorageSharedKey(accountName, accountKey), credential: null);

    /// <summary>Entra ID (e.g. managed identity) access to <c>https://{account}.{service}.{suffix}</c>.</summary>
    public static StorageConnection WithCredential(string accountName, TokenCredential credential, string endpointSuffix = "core.windows.net")
    {
        ArgumentException.ThrowIfNullOrEmpty(accountName);
        return WithCredential(
            accountName, credential,
            new Uri($"https://{accountName}.blob.{endpointSuffix}"),
            new Uri($"https://{accountName}.queue.{endpointSuffix}"),
            new Uri($"https://{accountName}.table.{endpointSuffix}"));
    }

    /// <summary>Entra ID access with explicit endpoints (any of which may be null when unused).</summary>
    public static StorageConnection WithCredential(string accountName, TokenCredential credential, Uri? blobEndpoint, Uri? queueEndpoint, Uri? tableEndpoint)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountName);
        ArgumentNullException.ThrowIfNull(credential);
        return new(accountName, blobEndpoint, queueEndpoint, tableEndpoint, sharedKey: null, credential);
    }

    public override string ToString() =>
        $"StorageConnection(account={AccountName}, auth={(UsesSharedKey ? "SharedKey" : "Token")}, " +
        $"blob={BlobEndpoint}, queue={QueueEndpoint}, table={TableEndpoint})";

    internal Uri RequireEndpoint(Uri? endpoint, string service) =>
        endpoint ?? throw new InvalidOperationException($"the storage connection for {AccountName} has no {service} endpoint");

    private static Uri? Endpoint(Dictionary<string, string> settings, string name, string protocol, string account, string service, string suffix)
    {
        if (settings.TryGetValue(name, out var explicitUrl) && explicitUrl.Length > 0)
        {
            return Uri.TryCreate(explicitUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri
                : throw new FormatException($"storage connection string: {name} is not an absolute http(s) URL");
        }
        return new Uri($"{protocol}://{account}.{service}.{suffix}");
    }
}
