using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pds.Functions.Hosting;

namespace Pds.Functions.Tests.Relay;

/// <summary>A small Kestrel app on a free loopback port, for the pieces tested without a whole PDS.</summary>
internal static class LoopbackApp
{
    public static async Task<(WebApplication App, Uri Url)> StartAsync(Action<WebApplication> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        configure(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return (app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>A configuration with only what the relay pieces read filled in meaningfully.</summary>
    public static PdsConfig Config(Uri? forwardTo = null, string? secret = null, PdsRoles roles = PdsRoles.Api) => new()
    {
        Hostname = "localhost",
        DataDirectory = Path.GetTempPath(),
        BlobstoreDirectory = Path.GetTempPath(),
        PlcUrl = "http://127.0.0.1:1",
        ServiceHandleDomains = [".test"],
        Roles = roles,
        ForwardTo = forwardTo,
        ForwardSecret = secret,
    };
}
