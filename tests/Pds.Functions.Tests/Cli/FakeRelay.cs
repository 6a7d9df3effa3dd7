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
/// A stand-in relay on 127.0.0.1: <c>/xrpc/com.atproto.sync.requestCrawl</c> records the body and
/// answers 200; under <c>/refuse/</c> it answers an XRPC error instead. Anything else is a plain 404.
/// </summary>
internal sealed class FakeRelay : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeRelay(WebApplication app, Uri url, ConcurrentQueue<string> bodies)
    {
        _app = app;
        Url = url;
        Bodies = bodies;
    }

    public Uri Url { get; }

    /// <summary>A base URL whose relay refuses with an XRPC error.</summary>
    public Uri RefusingUrl => new(Url, "refuse/");

    /// <summary>The request bodies the relay accepted, in arrival order.</summary>
    public ConcurrentQueue<string> Bodies { get; }

    public static async Task<FakeRelay> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var bodies = new ConcurrentQueue<string>();
        app.MapPost("/xrpc/com.atproto.sync.requestCrawl", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            bodies.Enqueue(await reader.ReadToEndAsync());
            return Results.Ok();
        });
        app.MapPost("/refuse/xrpc/com.atproto.sync.requestCrawl", () =>
            Results.Json(new { error = "HostBanned", message = "this host is not welcome" }, statusCode: 400));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakeRelay(app, new Uri(address.TrimEnd('/') + "/"), bodies);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
