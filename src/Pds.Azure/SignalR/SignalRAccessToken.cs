using System.Text;
using System.Text.Json.Nodes;
using Pds.Core.Auth;

namespace Pds.Azure.SignalR;

/// <summary>
/// Access tokens for SignalR Service signed with the AccessKey: HS256 over the UTF-8 bytes of the key
/// string (not base64-decoded), with aud = the URL the token is for and exp in epoch seconds.
/// </summary>
public static class SignalRAccessToken
{
    public static string Create(string audience, string accessKey, DateTimeOffset expiresAt, string? userId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(audience);
        ArgumentException.ThrowIfNullOrEmpty(accessKey);
        var payload = new JsonObject { ["aud"] = audience, ["exp"] = expiresAt.ToUnixTimeSeconds() };
        if (userId is not null)
        {
            // "nameid" is the claim the service maps to the user id for user-targeted sends.
            payload["nameid"] = userId;
        }
        return Jwt.SignHs256("JWT", payload, Encoding.UTF8.GetBytes(accessKey));
    }

    /// <summary>The client hub URL, <c>{ClientEndpoint}/client/?hub={hub}</c>; also the audience of client tokens.</summary>
    public static Uri ClientHubUrl(SignalRConnectionString connectionString, string hub)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        return new Uri($"{connectionString.ClientEndpoint.AbsoluteUri.TrimEnd('/')}/client/?hub={HubName.Normalize(hub)}");
    }

    /// <summary>A token a client (our relay) presents to negotiate and connect to a hub.</summary>
    public static string CreateForClient(SignalRConnectionString connectionString, string hub, DateTimeOffset expiresAt, string? userId = null)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var key = connectionString.AccessKey
            ?? throw new InvalidOperationException("client tokens can only be minted from an AccessKey connection string");
        return Create(ClientHubUrl(connectionString, hub).AbsoluteUri, key, expiresAt, userId);
    }

    /// <summary>The audience of a REST call: the request URL without query and trailing slash.</summary>
    internal static string RestAudience(Uri requestUri) => requestUri.GetLeftPart(UriPartial.Path).TrimEnd('/');
}
