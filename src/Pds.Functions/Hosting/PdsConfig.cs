using System.Globalization;
using Pds.Azure.SignalR;

namespace Pds.Functions.Hosting;

/// <summary>
/// Settings, read from environment variables (and appsettings.json) under the same names as
/// the reference PDS distribution wherever the meaning is the same, so operators can move over.
/// </summary>
public sealed record PdsConfig
{
    public required string Hostname { get; init; }
    public int Port { get; init; } = 2583;
    public string BindAddress { get; init; } = "127.0.0.1";
    public required string DataDirectory { get; init; }
    public required string BlobstoreDirectory { get; init; }
    public required string PlcUrl { get; init; }
    public required IReadOnlyList<string> ServiceHandleDomains { get; init; }
    public string? AdminPassword { get; init; }
    public string? JwtSecret { get; init; }
    public string? PlcRotationKeyHex { get; init; }
    public bool InviteRequired { get; init; }
    public long BlobUploadLimit { get; init; } = 100L * 1024 * 1024;
    public IReadOnlyList<string> Crawlers { get; init; } = [];
    public string? AppViewUrl { get; init; }
    public string? AppViewDid { get; init; }
    public bool RateLimitsEnabled { get; init; }
    public TimeSpan BackfillLimit { get; init; } = TimeSpan.FromHours(72);
    public string? DnsNameserver { get; init; }
    public PdsRoles Roles { get; init; } = PdsRoles.All;

    /// <summary>PDS_STORAGE_BACKEND: sqlite (the embedded default) or azure.</summary>
    public StorageBackend StorageBackend { get; init; } = StorageBackend.Sqlite;

    /// <summary>AzureWebJobsStorage: a storage connection string (Shared Key, or UseDevelopmentStorage=true).</summary>
    public string? AzureStorageConnectionString { get; init; }

    /// <summary>AzureWebJobsStorage__accountName: the account reached with the managed identity (no key in settings).</summary>
    public string? AzureStorageAccountName { get; init; }

    /// <summary>AzureWebJobsStorage__clientId / AZURE_CLIENT_ID: a user-assigned identity to use instead of the system one.</summary>
    public string? AzureClientId { get; init; }

    /// <summary>PDS_STORAGE_PREFIX: prepended to table, container and queue names (lowercase letters and digits), so several PDSs can share an account.</summary>
    public string StoragePrefix { get; init; } = "";

    /// <summary>PDS_KEY_VAULT_URL: account keys through Key Vault; absent, keys are sealed locally under the key-encryption key.</summary>
    public Uri? KeyVaultUrl { get; init; }

    /// <summary>PDS_KEY_VAULT_MODE: sign (keys never leave the vault) or wrap (keys wrapped by one vault key, signing local).</summary>
    public KeyVaultMode KeyVaultMode { get; init; } = KeyVaultMode.Sign;

    /// <summary>PDS_KEY_VAULT_WRAP_KEY: the vault RSA key that wraps account keys in wrap mode.</summary>
    public string KeyVaultWrapKeyName { get; init; } = "pds-wrap";

    /// <summary>PDS_KEY_ENCRYPTION_KEY_HEX: 32 bytes that seal account keys at rest when there is no vault (generated into the data directory on a local run).</summary>
    public string? KeyEncryptionKeyHex { get; init; }
    /// <summary>SignalR Service that carries sequencer announcements to the relay (PDS_SIGNALR_CONNECTION_STRING); null = none.</summary>
    public SignalRConnectionString? SignalR { get; init; }

    /// <summary>The SignalR hub announcements go through (PDS_SIGNALR_HUB).</summary>
    public string SignalRHub { get; init; } = "firehose";

    /// <summary>A relay that heard no announcement for this long reads the log's latest seq itself (PDS_RELAY_POLL_MS).</summary>
    public TimeSpan RelayPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Where a relay process forwards every request but subscribeRepos (PDS_FORWARD_TO); null = no forwarding.</summary>
    public Uri? ForwardTo { get; init; }

    /// <summary>Shared by the relay and the api process behind it (PDS_FORWARD_SECRET); the api refuses requests without it.</summary>
    public string? ForwardSecret { get; init; }

    /// <summary>Set when the Azure Functions host runs us as its custom handler (FUNCTIONS_CUSTOMHANDLER_PORT).</summary>
    public int? FunctionsHostPort { get; init; }

    /// <summary>A localhost run: secrets may be generated, http is fine, handles default to .test.</summary>
    public bool IsLocal => Hostname is "localhost" or "127.0.0.1" || Hostname.EndsWith(".localhost", StringComparison.Ordinal);

    public string PublicUrl => IsLocal ? $"http://{Hostname}:{Port}" : $"https://{Hostname}";
    public string ServiceDid => "did:web:" + Hostname;

    public static PdsConfig Load(IConfiguration c, string workingDirectory)
    {
        var hostname = c["PDS_HOSTNAME"] is { Length: > 0 } h ? h.Trim().ToLowerInvariant() : "localhost";
        var local = hostname is "localhost" or "127.0.0.1" || hostname.EndsWith(".localhost", StringComparison.Ordinal);
        var functionsPort = c["FUNCTIONS_CUSTOMHANDLER_PORT"] is { Length: > 0 } fp
            ? int.TryParse(fp, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536 ? p : throw new ConfigException("FUNCTIONS_CUSTOMHANDLER_PORT must be a port number")
            : (int?)null;
        var roles = PdsRolesParser.Parse(c["PDS_ROLES"], functionsPort is null ? PdsRoles.All : PdsRoles.Api | PdsRoles.Sequencer);
        var forwardTo = ForwardTarget(c["PDS_FORWARD_TO"], roles);
        var forwardSecret = Empty(c["PDS_FORWARD_SECRET"]);
        if (forwardSecret is { Length: < 16 })
        {
            throw new ConfigException("PDS_FORWARD_SECRET must be at least 16 characters");
        }
        if (forwardTo is not null && forwardSecret is null)
        {
            throw new ConfigException("PDS_FORWARD_TO needs PDS_FORWARD_SECRET (the api process behind the relay must be able to refuse everyone else)");
        }
        var data = Path.GetFullPath(c["PDS_DATA_DIRECTORY"] is { Length: > 0 } d ? d : Path.Combine(workingDirectory, "pds-data"));
        return new PdsConfig
        {
            Hostname = hostname,
            // Under the Functions host the port is the host's to choose and only loopback is spoken to.
            Port = functionsPort ?? Int(c, "PDS_PORT", 2583, 1, 65535),
            BindAddress = functionsPort is not null ? "127.0.0.1" : c["PDS_BIND_ADDRESS"] is { Length: > 0 } b ? b : "127.0.0.1",
            FunctionsHostPort = functionsPort,
            Roles = roles,
            DataDirectory = data,
            BlobstoreDirectory = Path.GetFullPath(c["PDS_BLOBSTORE_DISK_LOCATION"] is { Length: > 0 } bl ? bl : Path.Combine(data, "blocks")),
            // A localhost PDS must never register test identities in the public directory.
            PlcUrl = (c["PDS_DID_PLC_URL"] is { Length: > 0 } plc ? plc : local ? "http://127.0.0.1:2582" : "https://plc.directory").TrimEnd('/'),
            ServiceHandleDomains = List(c["PDS_SERVICE_HANDLE_DOMAINS"]) is { Count: > 0 } domains
                ? domains.Select(x => x.StartsWith('.') ? x.ToLowerInvariant() : "." + x.ToLowerInvariant()).ToList()
                : [local ? ".test" : "." + hostname],
            AdminPassword = Empty(c["PDS_ADMIN_PASSWORD"]),
            JwtSecret = Empty(c["PDS_JWT_SECRET"]),
            PlcRotationKeyHex = Empty(c["PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX"]),
            InviteRequired = Bool(c, "PDS_INVITE_REQUIRED", false),
            BlobUploadLimit = Long(c, "PDS_BLOB_UPLOAD_LIMIT", 100L * 1024 * 1024),
            Crawlers = List(c["PDS_CRAWLERS"]),
            AppViewUrl = Empty(c["PDS_BSKY_APP_VIEW_URL"]),
            AppViewDid = Empty(c["PDS_BSKY_APP_VIEW_DID"]),
            RateLimitsEnabled = Bool(c, "PDS_RATE_LIMITS_ENABLED", false),
            BackfillLimit = TimeSpan.FromMilliseconds(Long(c, "PDS_REPO_BACKFILL_LIMIT_MS", (long)TimeSpan.FromHours(72).TotalMilliseconds)),
            DnsNameserver = Empty(c["PDS_DNS_NAMESERVER"]),
            StorageBackend = c["PDS_STORAGE_BACKEND"]?.Trim().ToLowerInvariant() switch
            {
                null or "" or "sqlite" => StorageBackend.Sqlite,
                "azure" => StorageBackend.Azure,
                _ => throw new ConfigException("PDS_STORAGE_BACKEND must be sqlite or azure"),
            },
            AzureStorageConnectionString = Empty(c["AzureWebJobsStorage"]),
            AzureStorageAccountName = Empty(c["AzureWebJobsStorage__accountName"]),
            AzureClientId = Empty(c["AzureWebJobsStorage__clientId"]) ?? Empty(c["AZURE_CLIENT_ID"]),
            StoragePrefix = c["PDS_STORAGE_PREFIX"] is { Length: > 0 } prefix
                ? prefix.All(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9')) && char.IsAsciiLetter(prefix[0]) && prefix.Length <= 20
                    ? prefix : throw new ConfigException("PDS_STORAGE_PREFIX must be 1-20 lowercase letters and digits, starting with a letter")
                : "",
            KeyVaultUrl = c["PDS_KEY_VAULT_URL"] is { Length: > 0 } kv
                ? Uri.TryCreate(kv.Trim(), UriKind.Absolute, out var vault) && vault.Scheme == Uri.UriSchemeHttps ? vault : throw new ConfigException("PDS_KEY_VAULT_URL must be an https URL")
                : null,
            KeyVaultMode = c["PDS_KEY_VAULT_MODE"]?.Trim().ToLowerInvariant() switch
            {
                null or "" or "sign" => KeyVaultMode.Sign,
                "wrap" => KeyVaultMode.Wrap,
                _ => throw new ConfigException("PDS_KEY_VAULT_MODE must be sign or wrap"),
            },
            KeyVaultWrapKeyName = Empty(c["PDS_KEY_VAULT_WRAP_KEY"]) ?? "pds-wrap",
            KeyEncryptionKeyHex = Empty(c["PDS_KEY_ENCRYPTION_KEY_HEX"]),
            SignalR = SignalRSetting(c["PDS_SIGNALR_CONNECTION_STRING"], roles),
            SignalRHub = Empty(c["PDS_SIGNALR_HUB"]) ?? "firehose",
            RelayPollInterval = TimeSpan.FromMilliseconds(Int(c, "PDS_RELAY_POLL_MS", 2000, 100, 600_000)),
            ForwardTo = forwardTo,
            ForwardSecret = forwardSecret,
        };
    }

    private static Uri? ForwardTarget(string? value, PdsRoles roles)
    {
        if (Empty(value) is not { } text)
        {
            return null;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw new ConfigException("PDS_FORWARD_TO must be an absolute http(s) URL without query, e.g. https://my-pds.azurewebsites.net");
        }
        // The process that forwards the API must not also serve it: requests would never reach the api role.
        if (!roles.HasFlag(PdsRoles.Relay) || roles.HasFlag(PdsRoles.Api))
        {
            throw new ConfigException("PDS_FORWARD_TO is for a relay process: set PDS_ROLES=relay (without api)");
        }
        return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/'));
    }

    private static SignalRConnectionString? SignalRSetting(string? value, PdsRoles roles)
    {
        if (Empty(value) is not { } text)
        {
            return null;
        }
        SignalRConnectionString parsed;
        try
        {
            parsed = SignalRConnectionString.Parse(text);
        }
        catch (FormatException e)
        {
            // The parser's messages never include the access key.
            throw new ConfigException("PDS_SIGNALR_CONNECTION_STRING: " + e.Message);
        }
        if (roles.HasFlag(PdsRoles.Relay) && !roles.HasFlag(PdsRoles.Sequencer) && parsed.AuthType != SignalRAuthType.AccessKey)
        {
            throw new ConfigException("PDS_SIGNALR_CONNECTION_STRING: a relay mints its own client tokens, so it needs an AccessKey= connection string");
        }
        return parsed;
    }

    private static string? Empty(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim();

    private static List<string> List(string? v) =>
        (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static int Int(IConfiguration c, string name, int fallback, int min, int max) =>
        Long(c, name, fallback) is var v && v >= min && v <= max ? (int)v : throw new ConfigException($"{name} must be between {min} and {max}");

    private static long Long(IConfiguration c, string name, long fallback) =>
        c[name] is { Length: > 0 } s
            ? long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : throw new ConfigException($"{name} must be a non-negative integer")
            : fallback;

    private static bool Bool(IConfiguration c, string name, bool fallback) => c[name]?.Trim().ToLowerInvariant() switch
    {
        null or "" => fallback,
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new ConfigException($"{name} must be true or false"),
    };
}

/// <summary>PDS_KEY_VAULT_MODE.</summary>
public enum KeyVaultMode
{
    Sign,
    Wrap,
}

/// <summary>A configuration problem the operator must fix; printed without a stack trace.</summary>
public sealed class ConfigException(string message) : Exception(message);
