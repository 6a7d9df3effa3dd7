using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pds.Azure.Tests.KeyVault;

/// <summary>Kestrel on 127.0.0.1 (a free port unless one is given), optionally HTTPS with the test certificate.</summary>
internal static class TestHost
{
    public static async Task<(WebApplication App, Uri BaseUri)> StartAsync(
        Action<WebApplicationBuilder>? configureBuilder,
        Action<WebApplication> configureApp,
        bool https = false,
        int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (https)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l =>
        {
            if (https)
            {
                l.UseHttps(TestCertificate.Instance);
            }
        }));
        configureBuilder?.Invoke(builder);
        var app = builder.Build();
        configureApp(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return (app, new Uri(address));
    }
}
