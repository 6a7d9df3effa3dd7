using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pds.Net.Tests;

/// <summary>
/// A real HTTP server (Kestrel on a free 127.0.0.1 port) answering by Host header and path from
/// <see cref="Routes"/>, for the well-known lookups. <see cref="CreateClient"/> gives an
/// HttpClient that connects every *.localhost name to it (RFC 6761 makes those loopback; the
/// system resolver here does not) and refuses any other host, so no test leaves the machine.
/// </summary>
public sealed class WebServerFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public ConcurrentDictionary<string, Reply> Routes { get; } = new(StringComparer.OrdinalIgnoreCase);

    public int Port { get; private set; }

    public void Set(string host, string path, Reply reply) => Routes[host + path] = reply;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(async context =>
        {
            if (!Routes.TryGetValue(context.Request.Host.Host + context.Request.Path, out var reply))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            if (reply.Delay > TimeSpan.Zero)
            {
                await Task.Delay(reply.Delay, context.RequestAborted);
            }
            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = reply.ContentType;
            await context.Response.WriteAsync(reply.Body, context.RequestAborted);
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        Port = new Uri(address).Port;
    }

    public HttpClient CreateClient(TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var host = context.DnsEndPoint.Host;
                if (host != "localhost" && !host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
                {
                    throw new HttpRequestException($"test client refuses to leave the machine for {host}");
                }
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { Timeout = timeout ?? TimeSpan.FromSeconds(10) };
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    public sealed record Reply(string Body, int Status = 200, string ContentType = "text/plain", TimeSpan Delay = default);
}
