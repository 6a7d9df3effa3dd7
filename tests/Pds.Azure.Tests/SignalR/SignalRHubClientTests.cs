using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Pds.Azure.SignalR;

namespace Pds.Azure.Tests.SignalR;

/// <summary>The hub client against a real ASP.NET Core SignalR hub on Kestrel.</summary>
public sealed class SignalRHubClientTests : IAsyncLifetime
{
    private static readonly TimeSpan ServerKeepAlive = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ServerClientTimeout = TimeSpan.FromSeconds(3);

    private RealHub _hub = null!;

    public async Task InitializeAsync() => _hub = await RealHub.StartAsync(ServerKeepAlive, ServerClientTimeout);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task StartAsync_NegotiatesWithBearer_ConnectsWebSocketWithIdAndToken()
    {
        await using var client = new SignalRHubClient(Options(_hub.HubUrl));
        var events = new EventLog(client);

        await client.StartAsync(CancellationToken.None);

        Assert.NotNull(client.ConnectionId);
        Assert.Equal([client.ConnectionId], events.Connected);
        var requests = _hub.Requests.ToArray();
        var negotiate = requests[0];
        Assert.Equal(("POST", "/hub/negotiate", "?negotiateVersion=1", "Bearer token-1"),
            (negotiate.Method, negotiate.Path, negotiate.Query, negotiate.Authorization));
        var socket = Assert.Single(requests, r => r.IsWebSocket);
        Assert.Equal("/hub", socket.Path);
        Assert.Matches("^\\?id=[^&]+&access_token=token-1$", socket.Query);
        Assert.Equal("Bearer token-1", socket.Authorization);
        await WaitUntilAsync(() => _hub.Connections.Connected.Count == 1);
    }

    [Fact]
    public async Task Invocations_ManySentByServer_ArriveInOrder()
    {
        await using var client = new SignalRHubClient(Options(_hub.HubUrl));
        var seqs = client.Subscribe("seq");
        await client.StartAsync(CancellationToken.None);
        const int count = 2000;

        for (var i = 0; i < count; i++)
        {
            await _hub.Context.Clients.All.SendAsync("seq", i, $"did:plc:{i}");
        }

        for (var i = 0; i < count; i++)
        {
            var invocation = await seqs.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("seq", invocation.Target);
            Assert.Equal(i, invocation.Arguments[0].GetInt32());
            Assert.Equal($"did:plc:{i}", invocation.Arguments[1].GetString());
        }
    }

    [Fact]
    public async Task On_HandlersOfOtherTargetsNotCalled_RemovedHandlerStops()
    {
        await using var client = new SignalRHubClient(Options(_hub.HubUrl));
        var seen = new List<string>();
        var gate = new SemaphoreSlim(0);
        var registration = client.On("a", (inv, _) =>
        {
            seen.Add("a" + inv.Arguments[0].GetInt32());
            gate.Release();
            return ValueTask.CompletedTask;
        });
        client.On("b", (inv, _) =>
        {
            seen.Add("b" + inv.Arguments[0].GetInt32());
            gate.Release();
            return ValueTask.CompletedTask;
        });
        await client.StartAsync(CancellationToken.None);

        await _hub.Context.Clients.All.SendAsync("a", 1);
        await _hub.Context.Clients.All.SendAsync("c", 2);
        await _hub.Context.Clients.All.SendAsync("b", 3);
        Assert.True(await gate.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(await gate.WaitAsync(TimeSpan.FromSeconds(5)));
        registration.Dispose();
        await _hub.Context.Clients.All.SendAsync("a", 4);
        await _hub.Context.Clients.All.SendAsync("b", 5);
        Assert.True(await gate.WaitAsync(TimeSpan.FromSeconds(5)));

        Assert.Equal(["a1", "b3", "b5"], seen);
    }

    [Fact]
    public async Task IdleConnection_BothSidesPing_StaysUp()
    {
        // The server drops a client silent for 3 s and the client drops a server silent for 3 s
        // (ASP.NET Core checks its timers once a second), so 8 idle seconds need pings both ways.
        // Pings every 200 ms leave room for a loaded CI machine stalling a thread for a second or
        // two without that being a failure (a 1 s timeout once failed that way).
        await using var client = new SignalRHubClient(Options(_hub.HubUrl, serverTimeout: TimeSpan.FromSeconds(3)));
        var events = new EventLog(client);
        var seqs = client.Subscribe("seq");
        await client.StartAsync(CancellationToken.None);

        await Task.Delay(TimeSpan.FromSeconds(8));
        await _hub.Context.Clients.All.SendAsync("seq", 42);

        Assert.Equal(42, (await seqs.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5))).Arguments[0].GetInt32());
        Assert.Empty(events.Disconnected);
        Assert.Single(events.Connected);
        Assert.Empty(_hub.Connections.Disconnected);
    }

    [Fact]
    public async Task ClientPingsTooSlow_ServerDropsTheClient_ClientReconnects()
    {
        // The control case for the test above: pings 5 s apart against a 3 s client timeout. (ASP.NET
        // Core starts timing a client out only after its first message, so a client that never pings
        // is never dropped: a slow pinger is the observable failure.)
        await using var client = new SignalRHubClient(Options(_hub.HubUrl, keepAlive: TimeSpan.FromSeconds(5)));
        var events = new EventLog(client);
        await client.StartAsync(CancellationToken.None);

        await events.WaitConnectedAsync(2, TimeSpan.FromSeconds(20));

        Assert.NotEmpty(events.Disconnected);
    }

    [Fact]
    public async Task ServerCloseWithAllowReconnect_ClientReconnectsAndKeepsReceiving()
    {
        await using var client = new SignalRHubClient(Options(_hub.HubUrl));
        var events = new EventLog(client);
        var seqs = client.Subscribe("seq");
        await client.StartAsync(CancellationToken.None);
        var first = client.ConnectionId;

        // A payload the server cannot serialise makes ASP.NET Core abort that connection with a
        // close message that allows reconnecting. The client counts itself connected once its
        // handshake is answered, a moment before the server lists it under Clients.All, so a
        // send in between reaches nobody (a loaded CI run hit that): send until it lands.
        for (var attempt = 0; events.Disconnected.Count == 0 && attempt < 50; attempt++)
        {
            await _hub.Context.Clients.All.SendAsync("seq", new Unserializable());
            await Task.WhenAny(events.WaitDisconnectedAsync(1, TimeSpan.FromSeconds(10)), Task.Delay(200));
        }
        await events.WaitConnectedAsync(2);
        await _hub.Context.Clients.All.SendAsync("seq", 7);

        Assert.Equal(7, (await seqs.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5))).Arguments[0].GetInt32());
        Assert.NotEqual(first, events.Connected[1]);
        // The reason is the close message itself (type 7, allowReconnect true), not a dropped socket.
        var reason = Assert.IsType<SignalRException>(Assert.Single(events.Disconnected));
        Assert.StartsWith("hub closed the connection:", reason.Message);
        Assert.False(client.Completion.IsCompleted);
    }

    [Fact]
    public async Task HubStopsAndComesBack_ClientNoticesAndReconnects()
    {
        await using var client = new SignalRHubClient(Options(_hub.HubUrl));
        var events = new EventLog(client);
        var seqs = client.Subscribe("seq");
        await client.StartAsync(CancellationToken.None);
        var port = _hub.BaseUri.Port;

        await _hub.App.StopAsync();
        await events.WaitDisconnectedAsync(1, TimeSpan.FromSeconds(5));
        Assert.NotNull(events.Disconnected[0]);
        await _hub.DisposeAsync();
        _hub = await RealHub.StartAsync(ServerKeepAlive, ServerClientTimeout, port);
        await events.WaitConnectedAsync(2, TimeSpan.FromSeconds(10));
        await _hub.Context.Clients.All.SendAsync("seq", 9);

        Assert.Equal(9, (await seqs.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5))).Arguments[0].GetInt32());
    }

    [Fact]
    public async Task HubGoesSilent_ClientNoticesWithinServerTimeout_ThenReconnects()
    {
        await using var proxy = new FreezableProxy(_hub.BaseUri.Port);
        proxy.Start();
        var serverTimeout = TimeSpan.FromSeconds(1);
        await using var client = new SignalRHubClient(Options(new Uri($"http://127.0.0.1:{proxy.Port}/hub"), serverTimeout: serverTimeout));
        var events = new EventLog(client);
        await client.StartAsync(CancellationToken.None);

        var frozenAt = DateTime.UtcNow;
        proxy.Freeze();
        await events.WaitDisconnectedAsync(1, TimeSpan.FromSeconds(5));
        var noticed = DateTime.UtcNow - frozenAt;
        proxy.Thaw();
        await events.WaitConnectedAsync(2, TimeSpan.FromSeconds(10));

        Assert.IsType<TimeoutException>(events.Disconnected[0]);
        // Slack on the upper bound only for a loaded test machine; the lower bound shows it was the timeout.
        Assert.InRange(noticed, serverTimeout * 0.9, serverTimeout + TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task NegotiateRedirect_FollowsUrlWithItsAccessToken()
    {
        await using var client = new SignalRHubClient(Options(new Uri(_hub.BaseUri, "/redirect")));

        await client.StartAsync(CancellationToken.None);

        var requests = _hub.Requests.ToArray();
        Assert.Equal(("/redirect/negotiate", "?negotiateVersion=1", "Bearer token-1"), (requests[0].Path, requests[0].Query, requests[0].Authorization));
        Assert.Equal(("/hub/negotiate", "?negotiateVersion=1", "Bearer " + RealHub.RedirectToken), (requests[1].Path, requests[1].Query, requests[1].Authorization));
        var socket = Assert.Single(requests, r => r.IsWebSocket);
        Assert.EndsWith("&access_token=" + RealHub.RedirectToken, socket.Query);
    }

    [Fact]
    public async Task StopAsync_ClosesConnection_CompletionEnds()
    {
        var client = new SignalRHubClient(Options(_hub.HubUrl));
        var events = new EventLog(client);
        await client.StartAsync(CancellationToken.None);

        await client.DisposeAsync();

        Assert.True(client.Completion.IsCompletedSuccessfully);
        Assert.Equal([null], events.Disconnected);
        await WaitUntilAsync(() => _hub.Connections.Disconnected.Count == 1);
    }

    [Fact]
    public async Task StartAsync_NoServer_Throws()
    {
        var port = _hub.BaseUri.Port;
        await _hub.App.StopAsync();
        await using var client = new SignalRHubClient(Options(new Uri($"http://127.0.0.1:{port}/hub")));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.StartAsync(CancellationToken.None));
    }

    internal static SignalRHubClientOptions Options(Uri hubUrl, TimeSpan? keepAlive = null, TimeSpan? serverTimeout = null) => new()
    {
        HubUrl = hubUrl,
        AccessTokenProvider = _ => ValueTask.FromResult<string?>("token-1"),
        KeepAliveInterval = keepAlive ?? TimeSpan.FromMilliseconds(200),
        ServerTimeout = serverTimeout ?? TimeSpan.FromSeconds(3),
        HandshakeTimeout = TimeSpan.FromSeconds(5),
        ReconnectDelays = [TimeSpan.FromMilliseconds(50)],
    };

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in 10 s");
            await Task.Delay(20);
        }
    }

    private sealed class Unserializable
    {
        public int Value => throw new InvalidOperationException("cannot serialise");
    }
}
