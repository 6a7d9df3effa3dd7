using Azure.Core;
using Azure.Identity;

namespace Pds.Azure.SignalR;

public enum SignalRAuthType
{
    /// <summary>AccessKey=...: HS256 tokens signed with the key.</summary>
    AccessKey,
    /// <summary>AuthType=azure.msi: managed identity (user-assigned when ClientId is given).</summary>
    ManagedIdentity,
    /// <summary>AuthType=azure: DefaultAzureCredential.</summary>
    DefaultCredential,
}

/// <summary>
/// An Azure SignalR Service connection string, e.g. <c>Endpoint=https://x.service.signalr.net;AccessKey=...;Version=1.0;</c>
/// or <c>Endpoint=https://x.service.signalr.net;AuthType=azure.msi;ClientId=...;Version=1.0;</c>.
/// The access key never appears in ToString or in parse errors.
/// </summary>
public sealed class SignalRConnectionString
{
    private SignalRConnectionString(Uri endpoint, Uri clientEndpoint, SignalRAuthType authType, string? accessKey, string? clientId)
    {
        Endpoint = endpoint;
        ClientEndpoint = clientEndpoint;
        AuthType = authType;
        AccessKey = accessKey;
        ClientId = clientId;
    }

    /// <summary>The service (REST) endpoint, no trailing slash.</summary>
    public Uri Endpoint { get; }

    /// <summary>Where clients connect; the Endpoint unless ClientEndpoint= overrides it (a proxy).</summary>
    public Uri ClientEndpoint { get; }

    public SignalRAuthType AuthType { get; }

    public string? ClientId { get; }

    internal string? AccessKey { get; }

    public static SignalRConnectionString Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException("SignalR connection string has a part that is not key=value");
            }
            var key = part[..eq].Trim();
            if (!values.TryAdd(key, part[(eq + 1)..].Trim()))
            {
                throw new FormatException($"SignalR connection string repeats '{key}'");
            }
        }
        if (values.TryGetValue("Version", out var version) && version != "1.0")
        {
            throw new FormatException($"SignalR connection string version '{version}' is not supported (1.0)");
        }
        var port = values.TryGetValue("Port", out var portText) ? ParsePort(portText) : (int?)null;
        var endpoint = ParseEndpoint(values, "Endpoint", port) ?? throw new FormatException("SignalR connection string has no Endpoint");
        var clientEndpoint = ParseEndpoint(values, "ClientEndpoint", port: null) ?? endpoint;

        values.TryGetValue("AccessKey", out var accessKey);
        values.TryGetValue("AuthType", out var authType);
        values.TryGetValue("ClientId", out var clientId);
        if (!string.IsNullOrEmpty(accessKey))
        {
            if (authType is not (null or ""))
            {
                throw new FormatException("SignalR connection string has both AccessKey and AuthType");
            }
            return new SignalRConnectionString(endpoint, clientEndpoint, SignalRAuthType.AccessKey, accessKey, null);
        }
        var type = authType?.ToLowerInvariant() switch
        {
            "azure.msi" => SignalRAuthType.ManagedIdentity,
            "azure" or "aad" => SignalRAuthType.DefaultCredential,
            null or "" => throw new FormatException("SignalR connection string needs AccessKey or AuthType"),
            _ => throw new FormatException($"SignalR connection string AuthType '{authType}' is not supported (azure, azure.msi)"),
        };
        return new SignalRConnectionString(endpoint, clientEndpoint, type, null, string.IsNullOrEmpty(clientId) ? null : clientId);
    }

    /// <summary>The Entra credential of an identity-based connection string.</summary>
    public TokenCredential CreateCredential() => AuthType switch
    {
        SignalRAuthType.ManagedIdentity => new ManagedIdentityCredential(
            ClientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(ClientId)),
        SignalRAuthType.DefaultCredential => new DefaultAzureCredential(),
        _ => throw new InvalidOperationException("this connection string authenticates with an access key"),
    };

    public override string ToString() =>
        $"Endpoint={Endpoint};" + AuthType switch
        {
            SignalRAuthType.AccessKey => "AccessKey=***;",
            SignalRAuthType.ManagedIdentity => "AuthType=azure.msi;" + (ClientId is null ? "" : $"ClientId={ClientId};"),
            _ => "AuthType=azure;",
        } + "Version=1.0;";

    private static Uri? ParseEndpoint(Dictionary<string, string> values, string key, int? port)
    {
        if (!values.TryGetValue(key, out var text))
        {
            return null;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
            || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw new FormatException($"SignalR connection string {key} must be an absolute http(s) URL without query");
        }
        var builder = new UriBuilder(uri) { Path = uri.AbsolutePath.TrimEnd('/') };
        if (port is { } p)
        {
            builder.Port = p;
        }
        return builder.Uri;
    }

    private static int ParsePort(string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw new FormatException("SignalR connection string Port must be 1-65535");
}
