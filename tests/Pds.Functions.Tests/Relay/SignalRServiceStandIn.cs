using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pds.Core.Auth;

namespace Pds.Functions.Tests.Relay;

/// <summary>The hub clients connect to; in serverless mode it has no methods of its own, it only counts clients.</summary>
public sealed class StandInHub(StandInConnections connections) : Hub
{
    public override Task OnConnectedAsync()
    {
        Interlocked.Increment(ref connections.Count);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        Interlocked.Decrement(ref connections.Count);
        return Task.CompletedTask;
    }
}

public sealed class StandInConnections
{
    public int Count;
}

/// <summary>
/// Stands in for Azure SignalR Service (serverless mode) on Kestrel: a real ASP.NET Core SignalR hub
/// at <c>/client</c> (the hub protocol the service speaks to clients), and the REST send API
/// <c>POST /api/hubs/{hub}/:send</c> broadcasting to it. Both demand access-key JWTs exactly as the
/// service does (HS256 over the key's UTF-8 bytes, aud = the URL), so a wrong key or audience fails.
/// </summary>
public sealed class SignalRServiceStandIn : IAsyncDisposable
{
    public const string AccessKey = "stand-in-access-key-0123456789";
    private readonly WebApplication _app;

    private SignalRServiceStandIn(WebApplication app, Uri endpoint, string hub)
    {
        _app = app;
        Endpoint = endpoint;
        Hub = hub;
    }

    public Uri Endpoint { get; }

    public string Hub { get; }

    public string ConnectionString => $"Endpoint={Endpoint.AbsoluteUri.TrimEnd('/')};AccessKey={AccessKey};Version=1.0;";

    /// <summary>Bodies of accepted REST sends, in arrival order.</summary>
    public ConcurrentQueue<string> Sends { get; } = new();

    /// <summary>Requests refused for a bad token, with why.</summary>
    public ConcurrentQueue<string> Refused { get; } = new();

    /// <summary>While true, REST sends are accepted (202) but not delivered: a lost announcement.</summary>
    public bool DropSends { get; set; }

    /// <summary>While set, REST sends answer this status instead.</summary>
    public HttpStatusCode? FailSendsWith { get; set; }

    public int ConnectedClients => Volatile.Read(ref _app.Services.GetRequiredService<StandInConnections>().Count);

    public static async Task<SignalRServiceStandIn> StartAsync(string hub = "firehose")
    {
        // The port is fixed first: every token's audience names it.
        var port = Server.PdsServerFixture.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddSingleton<StandInConnections>();
        builder.Services.AddSignalR(o =>
        {
            o.KeepAliveInterval = TimeSpan.FromSeconds(1);
            o.ClientTimeoutInterval = TimeSpan.FromSeconds(5);
        });
        var standIn = new SignalRServiceStandIn(builder.Build(), new Uri($"http://127.0.0.1:{port}"), hub);
        standIn.Map();
        await standIn._app.StartAsync();
        return standIn;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private void Map()
    {
        var endpoint = Endpoint.AbsoluteUri.TrimEnd('/');
        _app.UseWebSockets();
        _app.Use(async (http, next) =>
        {
            var path = http.Request.Path.Value ?? "";
            if (path.StartsWith("/client", StringComparison.Ordinal))
            {
                // Client tokens are for the hub URL, query included; negotiate sends a bearer, the socket a query token.
                var token = http.Request.Headers.Authorization.ToString() is { Length: > 7 } bearer ? bearer["Bearer ".Length..] : http.Request.Query["access_token"].ToString();
                if (!Valid(token, $"{endpoint}/client/?hub={Hub}", http))
                {
                    return;
                }
                if (path == "/client/")
                {
                    // The service's client URL ends in a slash; the hub is mapped without one.
                    http.Request.Path = "/client";
                }
            }
            else if (path == $"/api/hubs/{Hub}/:send" && HttpMethods.IsPost(http.Request.Method))
            {
                await SendAsync(http, endpoint + path);
                return;
            }
            await next(http);
        });
        // Routing after the check above, so that it sees the rewritten path.
        _app.UseRouting();
        _app.MapHub<StandInHub>("/client");
    }

    private async Task SendAsync(HttpContext http, string audience)
    {
        if (!Valid(http.Request.Headers.Authorization.ToString().Replace("Bearer ", "", StringComparison.Ordinal), audience, http))
        {
            return;
        }
        var body = await new StreamReader(http.Request.Body, Encoding.UTF8).ReadToEndAsync();
        if (FailSendsWith is { } status)
        {
            http.Response.StatusCode = (int)status;
            await http.Response.WriteAsync("{\"code\":\"stand-in failure\"}");
            return;
        }
        Sends.Enqueue(body);
        using var json = JsonDocument.Parse(body);
        var target = json.RootElement.GetProperty("target").GetString()!;
        var arguments = json.RootElement.GetProperty("arguments").EnumerateArray().Select(a => (object?)a.Clone()).ToArray();
        if (!DropSends)
        {
            await http.RequestServices.GetRequiredService<IHubContext<StandInHub>>().Clients.All.SendCoreAsync(target, arguments);
        }
        http.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private bool Valid(string token, string audience, HttpContext http)
    {
        var error = "";
        var ok = Jwt.TryValidateHs256(token, Encoding.UTF8.GetBytes(AccessKey), out var parts, out error);
        if (ok && (string?)parts.Payload["aud"] != audience)
        {
            (ok, error) = (false, $"aud {(string?)parts.Payload["aud"]} is not {audience}");
        }
        if (ok && (long?)parts.Payload["exp"] < DateTimeOffset.UtcNow.ToUnixTimeSeconds())
        {
            (ok, error) = (false, "expired");
        }
        if (!ok)
        {
            Refused.Enqueue($"{http.Request.Path}: {error}");
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        }
        return ok;
    }
}
