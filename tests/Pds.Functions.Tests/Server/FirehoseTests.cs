using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Pds.Core.DataModel;
using Pds.Core.Sequencer;

namespace Pds.Functions.Tests.Server;

public class FirehoseTests(PdsServerFixture server) : IClassFixture<PdsServerFixture>
{
    [Fact]
    public async Task Subscribe_NewAccountThenPost_EmitsLifecycleThenCommitInOrder()
    {
        using var socket = await ConnectAsync(null);
        var account = await server.CreateAccountAsync("fire");
        using var request = new HttpRequestMessage(HttpMethod.Post, "xrpc/com.atproto.repo.createRecord")
        {
            Content = JsonContent.Create(new { repo = account.Did, collection = "app.bsky.feed.post", record = new { text = "hi", createdAt = "2026-11-22T03:00:00.000Z" } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.AccessJwt);
        (await server.Http.SendAsync(request)).EnsureSuccessStatusCode();

        var mine = new List<(string Type, DataMap Body)>();
        while (mine.Count < 5)
        {
            var (op, type, body) = FrameCodec.Decode(await ReceiveAsync(socket));
            Assert.Equal(1, op);
            var did = (body["repo"] ?? body["did"]) as DataString;
            if (did?.Value == account.Did)
            {
                mine.Add((type!, body));
            }
        }
        Assert.Equal(["#identity", "#account", "#commit", "#sync", "#commit"], mine.Select(m => m.Type));
        var seqs = mine.Select(m => ((DataInteger)m.Body["seq"]!).Value).ToList();
        Assert.Equal(seqs.Order(), seqs);
        var post = mine[4].Body;
        Assert.Equal(DataValue.False, post["rebase"]);
        Assert.NotNull(post["prevData"]);
        var op0 = (DataMap)((DataArray)post["ops"]!)[0];
        Assert.Equal("create", ((DataString)op0["action"]!).Value);
    }

    [Fact]
    public async Task Subscribe_CursorReplaysAndFutureCursorErrors()
    {
        await server.CreateAccountAsync("cursor");
        // Seqs are seeded from the clock, so cursor 0 predates the window: #info OutdatedCursor, then the replay.
        using var live = await ConnectAsync(0);
        var (_, infoType, info) = FrameCodec.Decode(await ReceiveAsync(live));
        Assert.Equal(("#info", "OutdatedCursor"), (infoType, ((DataString)info["name"]!).Value));
        var (_, _, first) = FrameCodec.Decode(await ReceiveAsync(live));
        var firstSeq = ((DataInteger)first["seq"]!).Value;

        using var replay = await ConnectAsync(firstSeq);
        var (_, _, second) = FrameCodec.Decode(await ReceiveAsync(replay));
        Assert.Equal(firstSeq + 1, ((DataInteger)second["seq"]!).Value);

        using var future = await ConnectAsync(firstSeq + 1_000_000_000);
        var (op, _, body) = FrameCodec.Decode(await ReceiveAsync(future));
        Assert.Equal(-1, op);
        Assert.Equal("FutureCursor", ((DataString)body["error"]!).Value);
    }

    [Fact]
    public async Task Get_WithoutUpgrade_Is426()
    {
        var response = await server.Http.GetAsync("xrpc/com.atproto.sync.subscribeRepos");
        Assert.Equal((HttpStatusCode)426, response.StatusCode);
    }

    private async Task<ClientWebSocket> ConnectAsync(long? cursor)
    {
        var socket = new ClientWebSocket();
        var url = new Uri($"ws://127.0.0.1:{server.Config.Port}/xrpc/com.atproto.sync.subscribeRepos" + (cursor is null ? "" : $"?cursor={cursor}"));
        await socket.ConnectAsync(url, CancellationToken.None);
        return socket;
    }

    internal static async Task<byte[]> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(chunk, timeout.Token);
            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage)
            {
                return buffer.ToArray();
            }
        }
    }
}
