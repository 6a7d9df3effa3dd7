using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Pds.Core.DataModel;
using Pds.Core.Sequencer;
using Pds.Core.Storage;

namespace Pds.Functions.Firehose;

/// <summary>
/// com.atproto.sync.subscribeRepos. A session has three phases: backfill (replay the log
/// after the cursor, or from the window's start with #info OutdatedCursor when the cursor is
/// older), cut-over (keep reading the log until caught up), and live (wait for announcements,
/// then read the log again). Reading the log instead of receiving pushed frames means a slow
/// consumer simply lags and catches up; it is never dropped or sent a gap.
/// </summary>
public static class SubscribeRepos
{
    public const string Nsid = "com.atproto.sync.subscribeRepos";
    private const int Page = 500;
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(15);

    public static async Task HandleAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = 426;
            http.Response.Headers.Upgrade = "websocket";
            http.Response.ContentType = "application/json; charset=utf-8";
            await http.Response.WriteAsync(new JsonObject { ["error"] = "InvalidRequest", ["message"] = "subscribeRepos requires a WebSocket upgrade" }.ToJsonString());
            return;
        }
        long? cursor = null;
        if (http.Request.Query["cursor"].Count > 0)
        {
            if (!long.TryParse(http.Request.Query["cursor"][0], out var c) || c < 0)
            {
                http.Response.StatusCode = 400;
                http.Response.ContentType = "application/json; charset=utf-8";
                await http.Response.WriteAsync(new JsonObject { ["error"] = "InvalidRequest", ["message"] = "cursor must be a non-negative integer" }.ToJsonString());
                return;
            }
            cursor = c;
        }
        var log = http.RequestServices.GetRequiredService<IEventLog>();
        var hub = http.RequestServices.GetRequiredService<FirehoseHub>();
        var ct = http.RequestAborted;
        // The live starting point is fixed before the handshake completes: an event sequenced after
        // the subscriber's connect returns must have a higher seq and so must reach it.
        var latest = await log.GetLatestSeqAsync(ct) ?? 0;
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        try
        {
            await RunAsync(socket, log, hub, cursor, latest, ct);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The subscriber went away.
        }
    }

    private static async Task RunAsync(WebSocket socket, IEventLog log, FirehoseHub hub, long? cursor, long latest, CancellationToken ct)
    {
        long after;
        if (cursor is null)
        {
            after = latest;
        }
        else if (cursor > latest)
        {
            await SendAsync(socket, FrameCodec.Error("FutureCursor", "Cursor in the future."), ct);
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "FutureCursor", ct);
            return;
        }
        else
        {
            after = cursor.Value;
            var oldest = await log.GetOldestAsync(ct);
            if (oldest is not null && after < oldest.Seq - 1)
            {
                var info = DataMap.Create(("name", DataValue.Of("OutdatedCursor")), ("message", DataValue.Of("Requested cursor exceeded limit. Possibly missing events")));
                await SendAsync(socket, FrameCodec.Message(FirehoseEvents.Info, info), ct);
                after = oldest.Seq - 1;
            }
        }
        var receive = DrainIncomingAsync(socket, ct);
        while (socket.State == WebSocketState.Open && !receive.IsCompleted)
        {
            var announced = hub.Next;
            var events = await log.ReadAsync(after, Page, ct);
            foreach (var e in events)
            {
                await SendAsync(socket, e.Frame, ct);
                after = e.Seq;
            }
            if (events.Count == Page)
            {
                continue;
            }
            await Task.WhenAny(announced, receive, Task.Delay(Poll, ct));
        }
    }

    /// <summary>Subscribers send nothing we act on; reading notices their close frame.</summary>
    private static async Task DrainIncomingAsync(WebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[1024];
        while (socket.State == WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                return;
            }
        }
    }

    private static Task SendAsync(WebSocket socket, byte[] frame, CancellationToken ct) =>
        socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, ct);
}
