using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Pds.Functions.Hosting;

/// <summary>
/// PDS_RATE_LIMITS_ENABLED: per client IP, a global budget for every XRPC call plus tighter
/// budgets for the methods attackers aim at (logins, sign-ups). Over budget is a 429 with the
/// XRPC error RateLimitExceeded and a Retry-After header.
/// </summary>
public static class RateLimits
{
    /// <summary>(method, requests, window): the reference distribution's order of magnitude.</summary>
    private static readonly (string Nsid, int Permits, TimeSpan Window)[] PerMethod =
    [
        ("com.atproto.server.createSession", 30, TimeSpan.FromMinutes(5)),
        ("com.atproto.server.createAccount", 100, TimeSpan.FromMinutes(5)),
        ("com.atproto.server.createAppPassword", 50, TimeSpan.FromMinutes(5)),
        ("com.atproto.repo.uploadBlob", 1000, TimeSpan.FromMinutes(5)),
    ];

    private const int GlobalPermits = 3000;
    private static readonly TimeSpan GlobalWindow = TimeSpan.FromMinutes(5);

    public static void Add(IServiceCollection services) => services.AddRateLimiter(o =>
    {
        o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, string>(http =>
                RateLimitPartition.GetFixedWindowLimiter(Client(http), _ => Window(GlobalPermits, GlobalWindow))),
            PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                var path = http.Request.Path.Value ?? "";
                foreach (var (nsid, permits, window) in PerMethod)
                {
                    if (path.EndsWith("/" + nsid, StringComparison.Ordinal))
                    {
                        return RateLimitPartition.GetFixedWindowLimiter(nsid + "|" + Client(http), _ => Window(permits, window));
                    }
                }
                return RateLimitPartition.GetNoLimiter("unlimited");
            }));
        o.OnRejected = async (context, ct) =>
        {
            var response = context.HttpContext.Response;
            response.StatusCode = 429;
            if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
            {
                response.Headers.RetryAfter = ((int)retry.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            response.ContentType = "application/json; charset=utf-8";
            await response.WriteAsync(new JsonObject { ["error"] = "RateLimitExceeded", ["message"] = "Rate Limit Exceeded" }.ToJsonString(), ct);
        };
    });

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) =>
        new() { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true };

    private static string Client(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
