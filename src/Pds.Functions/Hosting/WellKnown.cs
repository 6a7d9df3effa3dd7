using System.Text.Json.Nodes;
using Pds.Core.Storage;
using Pds.Core.Syntax;

namespace Pds.Functions.Hosting;

/// <summary>The non-XRPC routes: the home page, health, and handle verification for service-domain handles.</summary>
public static class WellKnown
{
    public static string Version { get; } = typeof(WellKnown).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static Task Home(HttpContext http) => Results.Text(
        """
        This is an AT Protocol Personal Data Server (PDS).

        Most API routes are under /xrpc/
        """, "text/plain; charset=utf-8").ExecuteAsync(http);

    public static Task Health(HttpContext http) => Results.Json(new { version = Version }).ExecuteAsync(http);

    /// <summary>
    /// <c>GET /.well-known/atproto-did</c> on a handle's host (alice.example.com): the DID as plain
    /// text, for handles under this PDS's service domains.
    /// </summary>
    public static async Task AtprotoDid(HttpContext http) => await (await FindDidAsync(http)).ExecuteAsync(http);

    private static async Task<IResult> FindDidAsync(HttpContext http)
    {
        var accounts = http.RequestServices.GetRequiredService<IAccountStore>();
        var config = http.RequestServices.GetRequiredService<PdsConfig>();
        var host = http.Request.Host.Host.ToLowerInvariant();
        if (!Handle.TryParse(host, out var handle) || !config.ServiceHandleDomains.Any(d => host.EndsWith(d, StringComparison.Ordinal)))
        {
            return Results.NotFound(new JsonObject { ["error"] = "NotFound", ["message"] = "User not found" });
        }
        var account = await accounts.GetByHandleAsync(handle.ToString(), http.RequestAborted);
        return account is null || account.Status == AccountStatus.Deleted
            ? Results.NotFound(new JsonObject { ["error"] = "NotFound", ["message"] = "User not found" })
            : Results.Text(account.Did, "text/plain; charset=utf-8");
    }
}
