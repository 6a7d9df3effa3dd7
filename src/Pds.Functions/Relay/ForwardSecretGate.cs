using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Pds.Functions.Firehose;
using Pds.Functions.Hosting;

namespace Pds.Functions.Relay;

/// <summary>
/// The api process's side of PDS_FORWARD_SECRET: requests must come through the relay, which adds
/// the secret; anything else gets 403, so the Function App's own hostname serves nothing a client
/// could use to skip the public hostname. A request that passes has its host, scheme and client
/// address taken from the relay's X-Forwarded-* headers (handle pages, rate limits).
/// Left open: what the platform itself calls and cannot add a header to (see <see cref="IsExempt"/>).
/// </summary>
public sealed class ForwardSecretGate
{
    private readonly byte[] _secretHash;
    private readonly PdsConfig _config;

    public ForwardSecretGate(PdsConfig config)
    {
        _config = config;
        _secretHash = SHA256.HashData(Encoding.UTF8.GetBytes(config.ForwardSecret ?? throw new ArgumentException("PDS_FORWARD_SECRET is not set", nameof(config))));
    }

    public Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (IsExempt(http.Request))
        {
            return next(http);
        }
        var presented = http.Request.Headers[RelayForwarder.SecretHeader];
        if (presented.Count != 1 || !Matches(presented[0]!))
        {
            return ForbiddenAsync(http);
        }
        // Nothing after this point needs the secret; keep it out of anything that logs headers.
        http.Request.Headers.Remove(RelayForwarder.SecretHeader);
        ApplyForwarded(http);
        return next(http);
    }

    /// <summary>
    /// Requests that legitimately arrive without the secret: the Functions host's readiness probe
    /// (GET / until anything answers) and its queue invocations (POST /sequencer, which only the host
    /// can reach on loopback), platform health checks (/xrpc/_health, only a version number), and
    /// subscribeRepos when this process is also the relay that serves it.
    /// </summary>
    private bool IsExempt(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        var read = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        return (read && (path is "/" || path.Equals("/xrpc/_health", StringComparison.OrdinalIgnoreCase)))
            || (_config.FunctionsHostPort is not null && HttpMethods.IsPost(request.Method) && path == "/" + FunctionsInvocation.SequencerFunction)
            || (_config.Roles.HasFlag(PdsRoles.Relay) && path.Equals("/xrpc/" + SubscribeRepos.Nsid, StringComparison.OrdinalIgnoreCase));
    }

    // Comparing hashes keeps the time independent of where, and whether in length, a guess differs.
    private bool Matches(string presented) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _secretHash);

    /// <summary>
    /// The relay writes exactly one value into each header; proxies after it (the App Service front
    /// end) may append, so the first value is the relay's.
    /// </summary>
    private static void ApplyForwarded(HttpContext http)
    {
        var request = http.Request;
        if (First(request.Headers["X-Forwarded-Host"]) is { Length: > 0 } host)
        {
            request.Host = HostString.FromUriComponent(host);
        }
        var scheme = First(request.Headers["X-Forwarded-Proto"])?.ToLowerInvariant();
        if (scheme is "http" or "https")
        {
            request.Scheme = scheme;
        }
        if (First(request.Headers["X-Forwarded-For"]) is { } client && IPAddress.TryParse(client, out var address))
        {
            http.Connection.RemoteIpAddress = address;
        }
    }

    private static string? First(Microsoft.Extensions.Primitives.StringValues values) =>
        values.Count == 0 ? null : values[0]!.Split(',', 2)[0].Trim();

    private static Task ForbiddenAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync(new JsonObject
        {
            ["error"] = "Forbidden",
            ["message"] = "this service is only reachable through its public hostname",
        }.ToJsonString());
    }
}
