using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Pds.Core.DataModel;
using Pds.Core.Ipld;

namespace Pds.Functions.Tests.Server;

public class FirehoseTests(PdsServerFixture server) : IClassFixture<PdsServerFixture>
{
    [Fact]
    public async Task Subscribe_NewAccountThenPost_EmitsLifecycleThenCommitInOrder()
    {
        using var firehose = await server.SubscribeAsync();
        var account = await server.CreateAccountAsync("fire");
        await server.PostAsync(account, "hi");

        var mine = await firehose.TakeForAsync(account.Did, 5);
        Assert.All(mine, f => Assert.Equal(1, f.Op));
        Assert.Equal(["#identity", "#account", "#commit", "#sync", "#commit"], mine.Select(m => m.Type));
        var seqs = mine.Select(m => m.Seq).ToList();
        Assert.Equal(seqs.Order(), seqs);
        var post = mine[4].Body;
        Assert.Equal(DataValue.False, post["rebase"]);
        Assert.NotNull(post["prevData"]);
        Assert.Equal("create", CommitFrames.Ops(mine[4])[0].Action);
    }

    [Fact]
    public async Task Subscribe_CursorReplaysAndFutureCursorErrors()
    {
        await server.CreateAccountAsync("cursor");
        // Seqs are seeded from the clock, so cursor 0 predates the window: #info OutdatedCursor, then the replay.
        using var live = await server.SubscribeAsync(0);
        var info = await live.NextAsync();
        Assert.Equal(("#info", "OutdatedCursor"), (info.Type, info.Str("name")));
        var first = await live.NextAsync();

        using var replay = await server.SubscribeAsync(first.Seq);
        Assert.Equal(first.Seq + 1, (await replay.NextAsync()).Seq);

        using var future = await server.SubscribeAsync(first.Seq + 1_000_000_000);
        var error = await future.NextAsync();
        Assert.Equal(-1, error.Op);
        Assert.Equal("FutureCursor", error.Str("error"));
    }

    [Fact]
    public async Task Get_WithoutUpgrade_Is426()
    {
        var response = await server.Http.GetAsync("xrpc/com.atproto.sync.subscribeRepos");
        Assert.Equal((HttpStatusCode)426, response.StatusCode);
    }

    [Fact]
    public async Task Subscribe_BadCursor_Is400BeforeTheUpgrade()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var url = new Uri($"ws://{server.BaseUrl.Authority}/xrpc/com.atproto.sync.subscribeRepos?cursor=abc");
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(url, CancellationToken.None));
        Assert.Equal(HttpStatusCode.BadRequest, socket.HttpStatusCode);
    }

    [Fact]
    public async Task EveryWriteMethod_EmitsOneCommitThatMatchesAndInverts()
    {
        using var firehose = await server.SubscribeAsync();
        var account = await server.CreateAccountAsync("ops");
        var key = await server.SigningKeyAsync(account.Did);
        var x = server.Xrpc;
        const string posts = "app.bsky.feed.post";

        // Each write, with the ops its commit must carry: (action, path, cid from the output).
        var expected = new List<(string Rev, List<(string Action, string Path, string? Cid)> Ops)>();
        var created = (await server.CreateRecordAsync(account, posts, AccountTests.Post("created"))).Ok().Json;
        var rkey = ((string)created["uri"]!).Split('/')[^1];
        expected.Add(Rev(created, ("create", $"{posts}/{rkey}", (string?)created["cid"])));

        var given = (await server.CreateRecordAsync(account, posts, AccountTests.Post("given"), "3aaaaaaaaaaa9")).Ok().Json;
        expected.Add(Rev(given, ("create", $"{posts}/3aaaaaaaaaaa9", (string?)given["cid"])));

        var put = (await x.PostAsync("com.atproto.repo.putRecord",
            new { repo = account.Did, collection = "app.bsky.actor.profile", rkey = "self", record = new { displayName = "A" } }, account.Bearer)).Ok().Json;
        expected.Add(Rev(put, ("create", "app.bsky.actor.profile/self", (string?)put["cid"])));

        var updated = (await x.PostAsync("com.atproto.repo.putRecord",
            new { repo = account.Did, collection = "app.bsky.actor.profile", rkey = "self", record = new { displayName = "B" } }, account.Bearer)).Ok().Json;
        expected.Add(Rev(updated, ("update", "app.bsky.actor.profile/self", (string?)updated["cid"])));

        var deleted = (await x.PostAsync("com.atproto.repo.deleteRecord", new { repo = account.Did, collection = posts, rkey }, account.Bearer)).Ok().Json;
        expected.Add(Rev(deleted, ("delete", $"{posts}/{rkey}", null)));

        var batch = (await x.PostAsync("com.atproto.repo.applyWrites", new JsonObject
        {
            ["repo"] = account.Did,
            ["writes"] = new JsonArray(
                new JsonObject { ["$type"] = "com.atproto.repo.applyWrites#create", ["collection"] = posts, ["rkey"] = "3aaaaaaaaaaa2", ["value"] = AccountTests.Post("a") },
                new JsonObject { ["$type"] = "com.atproto.repo.applyWrites#create", ["collection"] = posts, ["rkey"] = "3aaaaaaaaaaa3", ["value"] = AccountTests.Post("b") },
                new JsonObject { ["$type"] = "com.atproto.repo.applyWrites#update", ["collection"] = "app.bsky.actor.profile", ["rkey"] = "self", ["value"] = new JsonObject { ["displayName"] = "C" } },
                new JsonObject { ["$type"] = "com.atproto.repo.applyWrites#delete", ["collection"] = posts, ["rkey"] = "3aaaaaaaaaaa9" }),
        }, account.Bearer)).Ok().Json;
        var results = batch["results"]!.AsArray();
        expected.Add(Rev(batch,
            ("create", $"{posts}/3aaaaaaaaaaa2", (string?)results[0]!["cid"]),
            ("create", $"{posts}/3aaaaaaaaaaa3", (string?)results[1]!["cid"]),
            ("update", "app.bsky.actor.profile/self", (string?)results[2]!["cid"]),
            ("delete", $"{posts}/3aaaaaaaaaaa9", null)));

        var frames = (await firehose.TakeForAsync(account.Did, 4 + expected.Count)).Where(f => f.Type == "#commit").ToList();
        var genesis = frames[0];
        var commits = frames.Skip(1).ToList();
        Assert.Equal(expected.Select(e => e.Rev), commits.Select(c => c.Str("rev")));
        var previous = genesis;
        for (var i = 0; i < commits.Count; i++)
        {
            var frame = commits[i];
            Assert.Equal(expected[i].Ops, CommitFrames.Ops(frame).Select(o => (o.Action, o.Path, o.Cid?.ToString())));
            Assert.Equal(CommitFrames.Commit(previous).Data, CommitFrames.PrevData(frame));
            Assert.Equal(previous.Str("rev"), frame.Str("since"));
            await CommitFrames.VerifyAsync(frame, key);
            previous = frame;
        }
        // Updates and deletes name the record they replaced.
        Assert.Equal(Cid.Parse((string)put["cid"]!), CommitFrames.Ops(commits[3])[0].Prev);
        Assert.Equal(Cid.Parse((string)created["cid"]!), CommitFrames.Ops(commits[4])[0].Prev);
        Assert.Equal(Cid.Parse((string)given["cid"]!), CommitFrames.Ops(commits[5])[3].Prev);
    }

    [Fact]
    public async Task CursorReplay_AfterNEvents_ReturnsTheSameFrames()
    {
        using var live = await server.SubscribeAsync();
        var account = await server.CreateAccountAsync("replay");
        for (var i = 0; i < 5; i++)
        {
            await server.PostAsync(account, $"post {i}");
        }
        var seen = await live.TakeForAsync(account.Did, 9);
        const int n = 3;
        using var replay = await server.SubscribeAsync(seen[n - 1].Seq);
        var replayed = await replay.TakeForAsync(account.Did, seen.Count - n);
        Assert.Equal(seen.Skip(n).Select(f => f.Bytes), replayed.Select(f => f.Bytes));
    }

    [Fact]
    public async Task SlowReader_GetsEveryEventInOrderWithoutGaps()
    {
        const int writes = 200;
        var account = await server.CreateAccountAsync("slow");
        var key = await server.SigningKeyAsync(account.Did);
        using var firehose = await server.SubscribeAsync();
        var revs = new List<string>();
        for (var i = 0; i < writes; i++)
        {
            var json = await server.PostAsync(account, $"slow {i} " + new string('x', 8000));
            revs.Add((string)json["commit"]!["rev"]!);
        }
        await Task.Delay(TimeSpan.FromSeconds(2));

        var frames = new List<Frame>();
        while (frames.Count(f => f.Did == account.Did) < writes)
        {
            frames.Add(await firehose.NextAsync());
        }
        for (var i = 1; i < frames.Count; i++)
        {
            Assert.Equal(frames[i - 1].Seq + 1, frames[i].Seq);
        }
        var mine = frames.Where(f => f.Did == account.Did).ToList();
        Assert.All(mine, f => Assert.Equal("#commit", f.Type));
        Assert.Equal(revs, mine.Select(f => f.Str("rev")));
        for (var i = 1; i < mine.Count; i++)
        {
            Assert.Equal(mine[i - 1].Str("rev"), mine[i].Str("since"));
        }
        await CommitFrames.VerifyAsync(mine[^1], key);
    }

    [Fact]
    public async Task ConcurrentWrites_AllLandAsOneChainOfCommits()
    {
        var account = await server.CreateAccountAsync("parallel");
        var key = await server.SigningKeyAsync(account.Did);
        using var firehose = await server.SubscribeAsync();
        var outputs = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => server.CreateRecordAsync(account, "app.bsky.feed.post", AccountTests.Post($"parallel {i}"))));
        Assert.All(outputs, o => o.Ok());

        var commits = await firehose.TakeForAsync(account.Did, 20);
        Assert.Equal(outputs.Select(o => (string)o.Json["commit"]!["rev"]!).Order(StringComparer.Ordinal), commits.Select(c => c.Str("rev")));
        for (var i = 1; i < commits.Count; i++)
        {
            Assert.True(commits[i].Seq > commits[i - 1].Seq);
            Assert.Equal(commits[i - 1].Str("rev"), commits[i].Str("since"));
            Assert.Equal(CommitFrames.Commit(commits[i - 1]).Data, CommitFrames.PrevData(commits[i]));
            await CommitFrames.VerifyAsync(commits[i], key);
        }
        var listed = (await server.Xrpc.GetAsync("com.atproto.repo.listRecords", ("repo", account.Did), ("collection", "app.bsky.feed.post"))).Ok().Json;
        Assert.Equal(20, listed["records"]!.AsArray().Count);
    }

    [Fact]
    public async Task LargeCommits_AreRefusedRatherThanSentTooBig()
    {
        var account = await server.CreateAccountAsync("large");
        var key = await server.SigningKeyAsync(account.Did);
        var head = (string)(await server.Xrpc.GetAsync("com.atproto.sync.getLatestCommit", ("did", account.Did))).Ok().Json["cid"]!;
        using var firehose = await server.SubscribeAsync();

        // One record over the 2 MB firehose cap, or a batch that adds up past it.
        (await server.CreateRecordAsync(account, "app.bsky.feed.post", AccountTests.Post(new string('z', 2_100_000)))).Fails(400, "InvalidRequest");
        var batch = Enumerable.Range(0, 3).Select(i => new JsonObject
        {
            ["$type"] = "com.atproto.repo.applyWrites#create", ["collection"] = "app.bsky.feed.post", ["value"] = AccountTests.Post(new string((char)('a' + i), 800_000)),
        }).ToArray();
        (await server.Xrpc.PostAsync("com.atproto.repo.applyWrites", new { repo = account.Did, writes = batch }, account.Bearer)).Fails(400, "InvalidRequest");
        Assert.Equal(head, (string?)(await server.Xrpc.GetAsync("com.atproto.sync.getLatestCommit", ("did", account.Did))).Ok().Json["cid"]);

        // Under the cap it goes out whole, and verifies.
        var big = (await server.CreateRecordAsync(account, "app.bsky.feed.post", AccountTests.Post(new string('y', 1_000_000)))).Ok().Json;
        var frame = await firehose.NextForAsync(account.Did, "#commit");
        Assert.Equal((string?)big["commit"]!["rev"], frame.Str("rev"));
        Assert.Equal(DataValue.False, frame.Body["tooBig"]);
        await CommitFrames.VerifyAsync(frame, key);
    }

    private static (string Rev, List<(string, string, string?)> Ops) Rev(JsonNode output, params (string, string, string?)[] ops) =>
        ((string)output["commit"]!["rev"]!, ops.ToList());
}
