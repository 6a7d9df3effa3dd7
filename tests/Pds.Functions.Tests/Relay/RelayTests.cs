using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Pds.Core.Ipld;
using Pds.Core.Storage;
using Pds.Functions.Relay;
using Pds.Functions.Tests.Server;

namespace Pds.Functions.Tests.Relay;

/// <summary>A relay in front of a separate api+sequencer host (see <see cref="RelayedPdsFixture"/>).</summary>
public class RelayTests(RelayedPdsFixture server) : IClassFixture<RelayedPdsFixture>
{
    [Fact]
    public async Task ApiHost_RefusesEveryoneButTheRelay_ExceptPlatformProbes()
    {
        using var direct = new HttpClient { BaseAddress = server.ApiUrl };

        Assert.Equal(HttpStatusCode.Forbidden, (await direct.GetAsync("xrpc/com.atproto.server.describeServer")).StatusCode);
        var login = await direct.PostAsync("xrpc/com.atproto.server.createSession", JsonContent("""{"identifier":"x.test","password":"y"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, login.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await direct.GetAsync("")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await direct.GetAsync("xrpc/_health")).StatusCode);

        var withSecret = new HttpRequestMessage(HttpMethod.Get, "xrpc/com.atproto.server.describeServer");
        withSecret.Headers.Add(RelayForwarder.SecretHeader, RelayedPdsFixture.ForwardSecret);
        Assert.Equal(HttpStatusCode.OK, (await direct.SendAsync(withSecret)).StatusCode);
    }

    [Fact]
    public async Task Relay_ForwardsRepeatedQueryKeys_ErrorsAndCorsHeadersUnchanged()
    {
        var a = await server.CreateAccountAsync("qa");
        var b = await server.CreateAccountAsync("qb");
        var request = new HttpRequestMessage(HttpMethod.Get, $"xrpc/com.atproto.admin.getAccountInfos?dids={a.Did}&dids={b.Did}");
        request.Headers.Authorization = server.Admin;
        request.Headers.Add("Origin", "https://app.example");

        var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var dids = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["infos"]!.AsArray().Select(i => (string?)i!["did"]).Order();
        Assert.Equal(new[] { a.Did, b.Did }.Order(), dids);
        // CORS is the api's answer, passed through once: the relay adds none of its own.
        Assert.Equal(["*"], response.Headers.GetValues("Access-Control-Allow-Origin"));

        (await server.Xrpc.GetAsync("com.atproto.repo.getRecord", ("repo", a.Did), ("collection", "app.bsky.feed.post"), ("rkey", "3aaaaaaaaaaa9")))
            .Fails(400, "RecordNotFound");
    }

    [Fact]
    public async Task Relay_UploadStreamsToTheApi_AndTheBlobComesBackIdentical()
    {
        var account = await server.CreateAccountAsync("up");
        var png = BlobTests.Png(4 * 1024 * 1024 + 17);
        // No Content-Length: the relay must stream a chunked body on as it arrives.
        var content = new StreamContent(new NoLengthStream(png));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");

        var blob = (await server.Xrpc.PostAsync("com.atproto.repo.uploadBlob", content, account.Bearer)).Ok().Json["blob"]!;
        (await server.CreateRecordAsync(account, "app.bsky.feed.post", BlobTests.WithImage(blob))).Ok();

        var cid = (string)blob["ref"]!["$link"]!;
        Assert.Equal(Cid.ForRaw(png).ToString(), cid);
        var served = (await server.Xrpc.GetAsync("com.atproto.sync.getBlob", ("did", account.Did), ("cid", cid))).Ok();
        Assert.Equal(png, served.Body);
        Assert.Equal("image/png", served.MediaType);
    }

    [Fact]
    public async Task Relay_HandlePageOfTheForwardedHost_NamesTheDid()
    {
        var account = await server.CreateAccountAsync("host");
        var request = new HttpRequestMessage(HttpMethod.Get, ".well-known/atproto-did");
        // The api host sees its own address as Host; the handle only reaches it as X-Forwarded-Host.
        request.Headers.Host = account.Handle;

        var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(account.Did, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Firehose_OnTheRelay_SeesACommitMadeThroughTheRelay_AnnouncedOverSignalR()
    {
        using var firehose = await server.SubscribeAsync();
        var account = await server.CreateAccountAsync("relayfire");
        var post = await server.PostAsync(account, "through the relay");

        var commit = await firehose.NextForAsync(account.Did, "#commit");
        while (CommitFrames.CommitCid(commit).ToString() != (string?)post["commit"]!["cid"])
        {
            commit = await firehose.NextForAsync(account.Did, "#commit");
        }
        await CommitFrames.VerifyAsync(commit, await server.SigningKeyAsync(account.Did));
        // The sequencer ran in the api host, which told the relay through the hub.
        Assert.Contains($$"""{"target":"seq","arguments":[{{commit.Seq}}]}""", server.SignalR!.Sends);
    }

    [Fact]
    public async Task LostAnnouncement_TheRelayFindsTheEventByPolling()
    {
        var account = await server.CreateAccountAsync("lost");
        await WaitForRelayAsync(await LatestSeqAsync(), TimeSpan.FromSeconds(10));
        server.SignalR!.DropSends = true;
        try
        {
            await server.PostAsync(account, "announced into the void");
            var seq = await LatestSeqAsync();

            // Polling is every 2 s here; subscribeRepos' own fallback would take 15 s.
            await WaitForRelayAsync(seq, TimeSpan.FromSeconds(8));
        }
        finally
        {
            server.SignalR.DropSends = false;
        }
    }

    /// <summary>
    /// Posts through the relay and requires the relay's hub to learn of the commit's seq within
    /// <paramref name="within"/>, and a relay subscriber to receive that commit.
    /// </summary>
    internal static async Task PostAndSeeOnRelayAsync(RelayedPdsFixture server, string prefix, TimeSpan within)
    {
        var account = await server.CreateAccountAsync(prefix);
        using var firehose = await server.SubscribeAsync();

        await server.PostAsync(account, "seen on the relay");
        var seq = await LatestSeqAsync(server.ApiServices);

        await WaitForRelayAsync(server, seq, within);
        Assert.Equal(seq, (await firehose.NextForAsync(account.Did, "#commit")).Seq);
    }

    private Task<long> LatestSeqAsync() => LatestSeqAsync(server.ApiServices);

    internal static async Task<long> LatestSeqAsync(IServiceProvider services)
    {
        // The api host's sequencer runs in the background: wait for the outbox to empty.
        var log = services.GetRequiredService<IEventLog>();
        for (var i = 0; i < 100 && (await log.GetPendingAsync(1)).Count > 0; i++)
        {
            await Task.Delay(50);
        }
        return await log.GetLatestSeqAsync() ?? 0;
    }

    private Task WaitForRelayAsync(long seq, TimeSpan within) => WaitForRelayAsync(server, seq, within);

    internal static async Task WaitForRelayAsync(RelayedPdsFixture server, long seq, TimeSpan within)
    {
        var deadline = DateTimeOffset.UtcNow + within;
        while (server.RelayHub.LatestSeq < seq)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"the relay did not hear of seq {seq} within {within.TotalSeconds} s (it knows {server.RelayHub.LatestSeq})");
            await Task.Delay(20);
        }
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
