using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Pds.Azure.Tests.KeyVault;
using Microsoft.AspNetCore.Http;

namespace Pds.Azure.Tests.SignalR;

/// <summary>
/// A scripted hub for the cases a real hub will not produce on demand: exact WebSocket message
/// boundaries, handshake errors, close messages, garbage. Any path ending in /negotiate negotiates
/// (answer n is <see cref="NegotiateAnswer"/>(n)); any WebSocket request runs <see cref="Script"/>.
/// </summary>
internal sealed class RawHubServer : IAsyncDisposable
{
    private int _negotiations;

    private RawHubServer(WebApplication app, Uri baseUri)
    {
        App = app;
        BaseUri = baseUri;
    }

    public WebApplication App { get; }

    public Uri BaseUri { get; }

    /// <summary>The shape of a SignalR Service client URL.</summary>
    public Uri HubUrl => new(BaseUri, "/client/?hub=firehose");

    public int Negotiations => Volatile.Read(ref _negotiations);

    public ConcurrentQueue<(string Path, string Query, string Authorization)> Requests { get; } = new();

    public Func<int, string> NegotiateAnswer { get; set; } = n =>
        $$"""{"negotiateVersion":1,"connectionId":"c{{n}}","connectionToken":"t{{n}}","availableTransports":[{"transport":"WebSockets","transferFormats":["Text","Binary"]},{"transport":"LongPolling","transferFormats":["Text","Binary"]}]}""";

    /// <summary>Runs once per WebSocket; by default accepts the handshake and idles until the client leaves.</summary>
    public Func<RawSocket, Task> Script { get; set; } = async socket =>
    {
        await socket.AcceptHandshakeAsync();
        await socket.DrainUntilClosedAsync();
    };

    public static async Task<RawHubServer> StartAsync()
    {
        RawHubServer? server = null;
        var (app, baseUri) = await TestHost.StartAsync(null, app =>
        {
            app.UseWebSockets();
            app.Run(context => server!.HandleAsync(context));
        });
        server = new RawHubServer(app, baseUri);
        return server;
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        Requests.Enqueue((request.Path.Value ?? "", request.QueryString.Value ?? "", request.Headers.Authorization.ToString()));
        if (request.Path.Value?.EndsWith("/negotiate", StringComparison.Ordinal) == true && request.Method == "POST")
        {
            var n = Interlocked.Increment(ref _negotiations);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(NegotiateAnswer(n));
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 404;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        try
        {
            await Script(new RawSocket(socket));
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away mid-script.
        }
    }
}

/// <summary>The server end of one raw hub WebSocket.</summary>
internal sealed class RawSocket(WebSocket socket)
{
    private readonly List<byte> _pending = [];

    public WebSocket Socket => socket;

    /// <summary>Reads up to the next 0x1E; null when the client closed first.</summary>
    public async Task<string?> ReadRecordAsync(CancellationToken cancellationToken = default)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var end = _pending.IndexOf(0x1E);
            if (end >= 0)
            {
                var record = Encoding.UTF8.GetString([.. _pending.GetRange(0, end)]);
                _pending.RemoveRange(0, end + 1);
                return record;
            }
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            _pending.AddRange(buffer.AsSpan(0, result.Count).ToArray());
        }
    }

    /// <summary>Reads the client's handshake, then answers {} plus <paramref name="sameMessage"/> in one WebSocket message.</summary>
    public async Task<string?> AcceptHandshakeAsync(string sameMessage = "")
    {
        var handshake = await ReadRecordAsync();
        await SendAsync("{}\u001e" + sameMessage);
        return handshake;
    }

    /// <summary>Sends one WebSocket text message.</summary>
    public Task SendAsync(string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    public async Task DrainUntilClosedAsync()
    {
        while (await ReadRecordAsync() is not null)
        {
        }
    }
}
