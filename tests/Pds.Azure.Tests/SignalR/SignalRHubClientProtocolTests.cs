using System.Text.Json;
using Pds.Azure.SignalR;

namespace Pds.Azure.Tests.SignalR;

/// <summary>The hub client against a scripted server, for exact framing and failure cases.</summary>
public sealed class SignalRHubClientProtocolTests : IAsyncLifetime
{
    private RawHubServer _server = null!;

    public async Task InitializeAsync() => _server = await RawHubServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ServiceShapedUrl_NegotiateAndSocketKeepHubQuery()
    {
        await using var client = new SignalRHubClient(SignalRHubClientTests.Options(_server.HubUrl));

        await client.StartAsync(CancellationToken.None);

        var requests = _server.Requests.ToArray();
        Assert.Equal(("/client/negotiate", "?hub=firehose&negotiateVersion=1", "Bearer token-1"), requests[0]);
        Assert.Equal(("/client/", "?hub=firehose&id=t1&access_token=token-1", "Bearer token-1"), requests[1]);
        Assert.Equal("c1", client.ConnectionId);
    }

    [Fact]
    public async Task Records_SeveralPerMessage_AndSpanningMessages_ArriveInOrder()
    {
        string Invocation(int i) => $$"""{"type":1,"target":"seq","arguments":[{{i}}]}""";
        var inv4 = Invocation(4);
        _server.Script = async socket =>
        {
            // The handshake answer and the first invocation share one WebSocket message.
            await socket.AcceptHandshakeAsync(Invocation(1) + "\u001e");
            await socket.SendAsync(Invocation(2) + "\u001e" + Invocation(3) + "\u001e" + inv4[..5]);
            await socket.SendAsync(inv4[5..20]);
            await socket.SendAsync(inv4[20..] + "\u001e{\"type\":6}\u001e" + Invocation(5) + "\u001e");
            await socket.DrainUntilClosedAsync();
        };
        await using var client = new SignalRHubClient(SignalRHubClientTests.Options(_server.HubUrl));
        var seqs = client.Subscribe("seq");

        await client.StartAsync(CancellationToken.None);

        for (var i = 1; i <= 5; i++)
        {
            var invocation = await seqs.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(i, invocation.Arguments[0].GetInt32());
        }
    }

    [Fact]
    public async Task Handshake_IsJsonV1_ThenClientPings()
    {
        var records = new TaskCompletionSource<(string?, string?)>();
        _server.Script = async socket =>
        {
            var handshake = await socket.AcceptHandshakeAsync();
            var next = await socket.ReadRecordAsync();
            records.TrySetResult((handshake, next));
            await socket.DrainUntilClosedAsync();
        };
        await using var client = new SignalRHubClient(SignalRHubClientTests.Options(_server.HubUrl, keepAlive: TimeSpan.FromMilliseconds(100)));

        await client.StartAsync(CancellationToken.None);
        var (handshake, ping) = await records.Task.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal("""{"protocol":"json","version":1}""", handshake);
        Assert.Equal("""{"type":6}""", ping);
    }

    [Fact]
    public async Task HandshakeError_StartAsyncThrows()
    {
        _server.Script = async socket =>
        {
            await socket.ReadRecordAsync();
            await socket.SendAsync("{\"error\":\"The protocol 'json' is not supported.\"}\u001e");
        };
        await using var client = new SignalRHubClient(SignalRHubClientTests.Options(_server.HubUrl));

        var error = await Assert.ThrowsAsync<SignalRException>(() => client.StartAsync(CancellationToken.None));

        Assert.Contains("The protocol 'json' is not supported.", error.Message);
    }

    [Fact]
    public async Task HandshakeUnanswered_StartAsyncTimesOut()
    {
        _server.Script = socket => socket.DrainUntilClosedAsync();
        var options = SignalRHubClientTests.Options(_server.HubUrl);
        await using var client = new SignalRHubClient(new SignalRHubClientOptions
        {
            HubUrl = options.HubUrl,
            HandshakeTimeout = TimeSpan.FromMilliseconds(300),
        });

        await Assert.ThrowsAsync<TimeoutException>(() => client.StartAsync(CancellationToken.None));
    }

    [Fact]
    public async Task CloseWithoutAllowReconnect_ClientStops_CompletionFaults()
    {
        _server.Script = async socket =>
        {
            await socket.AcceptHandshakeAsync("{\"type\":7,\"error\":\"Unauthorized\",\"allowReconnect\":false}\u001e");
            await socket.DrainUntilClosedAsync();
        };
        await using var client = new SignalRHubClient(SignalRHubClientTests.Options(_server.HubUrl));
        var events = new EventLog(client);
        await client.StartAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<SignalRException>(() => client.Completion.WaitAsync(TimeSpan.FromSeconds(5)));

        Assert.Contains("Unauthorized", error.Message);
        await Task.Delay(300);
        Assert.Equal(1, _server.Negotiations);
        Assert.Single(events.Disconnected);
    }

    [Fact]
    public async Task CloseWithAllowReconnect_NegotiatesAgainWithFreshToken()
    {
        var tokens = 0;
        _server.Script = async socket =>
        {
            await socket.AcceptHandshakeAsync(_server.Negotiations == 1 ? "{\"type\":7,\"error\":\"Service restarting\",\"allowReconnect\":true}\u001e" : "");
            await socket.DrainUntilClosedAsync();
        };
        await using var client = new SignalRHubClient(new SignalRHubClientOptions
        {
            HubUrl = _server.HubUrl,
            AccessTokenProvider = _ => ValueTask.FromResult<string?>($"token-{Interlocked.Increment(ref tokens)}"),
            ReconnectDelays = [TimeSpan.FromMilliseconds(10)],
        });
        var events = new EventLog(client);
        await client.StartAsync(CancellationToken.None);

        await events.WaitConnectedAsync(2);

        Assert.Equal(["c1", "c2"], events.Connected);
        Assert.Contains(_server.Requests, r => r.Query == "?hub=firehose&id=t2&access_token=token-2");
        Assert.Contains("Service restarting", Assert.Single(events.Disconnected)!.Message);
    }

    [Theory]
    [InlineData("not json\u001e")]
    [InlineData("{\"type\":1,\"target\":\"seq\"}\u001e")]
    [InlineData("{\"type\":\"x\"}\u001e")]
    public async Task GarbageFromServer_DropsConnectionAndReconnects(string garbage)
    {
        FirstConnectionSends(garbage);

        var reason = await FirstDisconnectReasonAsync(SignalRHubClientTests.Options(_server.HubUrl));

        Assert.IsType<HubProtocolException>(reason);
    }

    [Fact]
    public async Task RecordOverMaxSize_DropsConnection()
    {
        // Never terminated: the client must give up at its limit, not buffer forever.
        var chunk = "{\"type\":1,\"target\":\"seq\",\"arguments\":[\"" + new string('a', 600);
        FirstConnectionSends(chunk, chunk, chunk, chunk);

        var reason = await FirstDisconnectReasonAsync(new SignalRHubClientOptions
        {
            HubUrl = _server.HubUrl,
            MaxRecordSize = 1024,
            ReconnectDelays = [TimeSpan.FromMilliseconds(10)],
        });

        Assert.IsType<HubProtocolException>(reason);
    }

    /// <summary>The first connection gets these WebSocket messages after the handshake; later ones get nothing.</summary>
    private void FirstConnectionSends(params string[] messages) => _server.Script = async socket =>
    {
        await socket.AcceptHandshakeAsync();
        if (_server.Negotiations == 1)
        {
            foreach (var message in messages)
            {
                await socket.SendAsync(message);
            }
        }
        await socket.DrainUntilClosedAsync();
    };

    /// <summary>Connects, waits for the reconnect, and returns why the first connection ended.</summary>
    private static async Task<Exception?> FirstDisconnectReasonAsync(SignalRHubClientOptions options)
    {
        await using var client = new SignalRHubClient(options);
        var events = new EventLog(client);
        await client.StartAsync(CancellationToken.None);
        await events.WaitConnectedAsync(2);
        return events.Disconnected[0];
    }

    [Fact]
    public async Task HandlerThrows_ConnectionDroppedSoOwnerResyncs()
    {
        _server.Script = async socket =>
        {
            await socket.AcceptHandshakeAsync(_server.Negotiations == 1 ? "{\"type\":1,\"target\":\"seq\",\"arguments\":[1]}\u001e" : "");
            await socket.DrainUntilClosedAsync();
        };
        await using var client = new SignalRHubClient(SignalRHubClientTests.Options(_server.HubUrl));
        client.On("seq", (_, _) => throw new InvalidOperationException("handler bug"));
        var events = new EventLog(client);
        await client.StartAsync(CancellationToken.None);

        await events.WaitConnectedAsync(2);

        Assert.Equal("handler bug", Assert.IsType<InvalidOperationException>(events.Disconnected[0]).Message);
    }

    [Fact]
    public async Task NegotiateVersion0_ConnectionIdIsTheToken()
    {
        _server.NegotiateAnswer = n => $$"""{"connectionId":"old{{n}}","availableTransports":[{"transport":"WebSockets","transferFormats":["Text"]}]}""";
        await using var client = new SignalRHubClient(SignalRHubClientTests.Options(_server.HubUrl));

        await client.StartAsync(CancellationToken.None);

        Assert.Contains(_server.Requests, r => r.Query.StartsWith("?hub=firehose&id=old1&", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"error":"Hub not found"}""", "Hub not found")]
    [InlineData("""{"connectionId":"c","connectionToken":"t","availableTransports":[{"transport":"LongPolling","transferFormats":["Text"]}]}""", "WebSockets")]
    [InlineData("""{"connectionToken":"t"}""", "connectionId")]
    [InlineData("""<html>""", "JSON")]
    public async Task NegotiateRefusedOrUnusable_StartAsyncThrows(string answer, string expected)
    {
        _server.NegotiateAnswer = _ => answer;
        await using var client = new SignalRHubClient(SignalRHubClientTests.Options(_server.HubUrl));

        var error = await Assert.ThrowsAsync<SignalRException>(() => client.StartAsync(CancellationToken.None));

        Assert.Contains(expected, error.Message);
    }
}
