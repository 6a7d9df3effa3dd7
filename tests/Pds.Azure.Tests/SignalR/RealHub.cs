using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Pds.Azure.Tests.KeyVault;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace Pds.Azure.Tests.SignalR;

/// <summary>Tracks which connections the real hub has seen come and go.</summary>
public sealed class HubConnections
{
    public ConcurrentQueue<string> Connected { get; } = new();
    public ConcurrentQueue<string> Disconnected { get; } = new();
}

public sealed class TestHub(HubConnections connections) : Hub
{
    public override Task OnConnectedAsync()
    {
        connections.Connected.Enqueue(Context.ConnectionId);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Disconnected.Enqueue(Context.ConnectionId);
        return Task.CompletedTask;
    }
}

/// <summary>
/// A real ASP.NET Core SignalR hub at /hub on Kestrel, with short keep-alive and client timeouts,
/// a recording of every request, and /redirect/negotiate answering with the redirect form.
/// </summary>
internal sealed class RealHub : IAsyncDisposable
{
    public const string RedirectToken = "redirected-token";

    private RealHub(WebApplication app, Uri baseUri, ConcurrentQueue<RecordedHubRequest> requests)
    {
        App = app;
        BaseUri = baseUri;
        Requests = requests;
    }

    public WebApplication App { get; }

    public Uri BaseUri { get; }

    public Uri HubUrl => new(BaseUri, "/hub");

    public ConcurrentQueue<RecordedHubRequest> Requests { get; }

    public HubConnections Connections => App.Services.GetRequiredService<HubConnections>();

    public IHubContext<TestHub> Context => App.Services.GetRequiredService<IHubContext<TestHub>>();

    public static async Task<RealHub> StartAsync(TimeSpan keepAlive, TimeSpan clientTimeout, int port = 0)
    {
        var requests = new ConcurrentQueue<RecordedHubRequest>();
        var (app, baseUri) = await TestHost.StartAsync(
            builder =>
            {
                builder.Services.AddSingleton<HubConnections>();
                builder.Services.AddSignalR(o =>
                {
                    o.KeepAliveInterval = keepAlive;
                    o.ClientTimeoutInterval = clientTimeout;
                    o.EnableDetailedErrors = true;
                });
            },
            app =>
            {
                app.UseWebSockets();
                app.Use((context, next) =>
                {
                    var request = context.Request;
                    requests.Enqueue(new RecordedHubRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "",
                        request.Headers.Authorization.ToString(), context.WebSockets.IsWebSocketRequest));
                    return next(context);
                });
                app.MapPost("/redirect/negotiate", (HttpContext context) => Results.Json(new
                {
                    url = $"{context.Request.Scheme}://{context.Request.Host}/hub",
                    accessToken = RedirectToken,
                }));
                app.MapHub<TestHub>("/hub");
            },
            port: port);
        return new RealHub(app, baseUri, requests);
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();
}

internal sealed record RecordedHubRequest(string Method, string Path, string Query, string Authorization, bool IsWebSocket);
