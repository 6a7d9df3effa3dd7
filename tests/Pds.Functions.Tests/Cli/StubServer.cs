using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pds.Functions.Tests.OperatorCli;

/// <summary>
/// A small HTTP server on 127.0.0.1:0 with whatever routes a test maps; anything else is a plain 404.
/// </summary>
internal sealed class StubServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StubServer(WebApplication app, Uri url, ConcurrentQueue<string> bodies)
    {
        _app = app;
        Url = url;
        Bodies = bodies;
    }

    public Uri Url { get; }

    /// <summary>Request bodies the routes recorded, in arrival order.</summary>
    public ConcurrentQueue<string> Bodies { get; }

    /// <summary>
    /// A stand-in relay: <c>/xrpc/com.atproto.sync.requestCrawl</c> records the body and answers 200;
    /// under <c>/refuse/</c> (see <see cref="RefusingUrl"/>) it answers an XRPC error instead.
    /// </summary>
    public static Task<StubServer> RelayAsync() => StartAsync((app, bodies) =>
    {
        app.MapPost("/xrpc/com.atproto.sync.requestCrawl", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            bodies.Enqueue(await reader.ReadToEndAsync());
            return Results.Ok();
        });
        app.MapPost("/refuse/xrpc/com.atproto.sync.requestCrawl", () =>
            Results.Json(new { error = "HostBanned", message = "this host is not welcome" }, statusCode: 400));
    });

    public Uri RefusingUrl => new(Url, "refuse/");

    public static async Task<StubServer> StartAsync(Action<WebApplication, ConcurrentQueue<string>> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var bodies = new ConcurrentQueue<string>();
        map(app, bodies);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StubServer(app, new Uri(address.TrimEnd('/') + "/"), bodies);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
