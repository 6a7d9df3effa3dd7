using System.Text.Json.Nodes;
using Pds.Core.Syntax;

namespace Pds.Functions.Tests.Server;

/// <summary>com.atproto.repo.* record methods: create/get/put/delete/applyWrites/listRecords/describeRepo.</summary>
public class RepoMethodsTests(PdsServerFixture server) : IClassFixture<PdsServerFixture>
{
    private const string Posts = "app.bsky.feed.post";
    private XrpcClient Xrpc => server.Xrpc;

    [Fact]
    public async Task CreateRecord_TidRkeyAndTypeDefaulting()
    {
        var account = await server.CreateAccountAsync("create");
        var created = (await server.CreateRecordAsync(account, Posts, AccountTests.Post("hello"))).Ok().Json;
        var uri = (string)created["uri"]!;
        Assert.StartsWith($"at://{account.Did}/{Posts}/", uri);
        var rkey = uri.Split('/')[^1];
        Assert.True(Tid.TryParse(rkey, out _), $"{rkey} is not a TID");
        Assert.Equal("unknown", (string?)created["validationStatus"]);
        Assert.NotNull(created["commit"]?["cid"]);

        var got = (await GetRecord(account.Did, Posts, rkey)).Ok().Json;
        Assert.Equal(uri, (string?)got["uri"]);
        Assert.Equal((string?)created["cid"], (string?)got["cid"]);
        Assert.Equal(Posts, (string?)got["value"]!["$type"]);
        Assert.Equal("hello", (string?)got["value"]!["text"]);

        // By handle too.
        (await GetRecord(account.Handle, Posts, rkey)).Ok();

        // A later TID sorts after the earlier one.
        var second = (await server.CreateRecordAsync(account, Posts, AccountTests.Post("later"))).Ok().Json;
        Assert.True(string.CompareOrdinal(((string)second["uri"]!).Split('/')[^1], rkey) > 0);
    }

    [Fact]
    public async Task CreateRecord_GivenRkeyExplicitTypeAndErrors()
    {
        var account = await server.CreateAccountAsync("given");
        var record = new JsonObject { ["$type"] = "app.bsky.actor.profile", ["displayName"] = "Me" };
        var created = (await server.CreateRecordAsync(account, "app.bsky.actor.profile", record, "self")).Ok().Json;
        Assert.Equal($"at://{account.Did}/app.bsky.actor.profile/self", (string?)created["uri"]);
        // The rkey is taken now.
        Assert.Equal(400, (await server.CreateRecordAsync(account, "app.bsky.actor.profile", new JsonObject { ["displayName"] = "Again" }, "self")).Code);

        var mismatch = new JsonObject { ["$type"] = "app.bsky.feed.like", ["text"] = "x" };
        (await server.CreateRecordAsync(account, Posts, mismatch)).Fails(400, "InvalidRequest");
        (await server.CreateRecordAsync(account, "not a collection", AccountTests.Post("x"))).Fails(400, "InvalidRequest");
        (await server.CreateRecordAsync(account, Posts, AccountTests.Post("x"), "bad/rkey")).Fails(400, "InvalidRequest");
        (await server.CreateRecordAsync(account, Posts, AccountTests.Post("x"), "..")).Fails(400, "InvalidRequest");
        (await Xrpc.PostAsync("com.atproto.repo.createRecord", new { repo = account.Did, collection = Posts }, account.Bearer)).Fails(400, "InvalidRequest");
        (await Xrpc.PostAsync("com.atproto.repo.createRecord", new { repo = account.Did, collection = Posts, record = "text" }, account.Bearer)).Fails(400, "InvalidRequest");
    }

    [Fact]
    public async Task GetRecord_MissingOrWrongCid_IsRecordNotFound()
    {
        var account = await server.CreateAccountAsync("getrec");
        var created = (await server.CreateRecordAsync(account, Posts, AccountTests.Post("a"), "3aaaaaaaaaaa2")).Ok().Json;
        var other = (await server.CreateRecordAsync(account, Posts, AccountTests.Post("b"))).Ok().Json;
        (await GetRecord(account.Did, Posts, "3aaaaaaaaaaa2", (string)created["cid"]!)).Ok();
        (await GetRecord(account.Did, Posts, "3aaaaaaaaaaa2", (string)other["cid"]!)).Fails(400, "RecordNotFound");
        (await GetRecord(account.Did, Posts, "3aaaaaaaaaaa3")).Fails(400, "RecordNotFound");
        (await GetRecord(account.Did, "app.bsky.feed.like", "3aaaaaaaaaaa2")).Fails(400, "RecordNotFound");
        (await Xrpc.GetAsync("com.atproto.repo.getRecord", ("repo", account.Did), ("collection", Posts))).Fails(400, "InvalidRequest");
    }

    [Fact]
    public async Task PutRecord_CreatesThenUpdatesWithSwaps()
    {
        var account = await server.CreateAccountAsync("put");
        var first = (await Put(account, "self", "one")).Ok().Json;
        var firstCid = (string)first["cid"]!;
        Assert.Equal($"at://{account.Did}/app.bsky.actor.profile/self", (string?)first["uri"]);

        var second = (await Put(account, "self", "two")).Ok().Json;
        var secondCid = (string)second["cid"]!;
        Assert.NotEqual(firstCid, secondCid);
        Assert.Equal("two", (string?)(await GetRecord(account.Did, "app.bsky.actor.profile", "self")).Ok().Json["value"]!["displayName"]);

        // swapRecord: must match the current CID.
        (await Put(account, "self", "stale", firstCid)).Fails(400, "InvalidSwap");
        var third = (await Put(account, "self", "three", secondCid)).Ok().Json;
        // swapRecord null: only when there is no record yet.
        (await Put(account, "self", "exists", null, nullSwap: true)).Fails(400, "InvalidSwap");
        (await Put(account, "other", "new", null, nullSwap: true)).Ok();
        // A swap against a record that does not exist fails.
        (await Put(account, "missing", "x", secondCid)).Fails(400, "InvalidSwap");
        Assert.Equal((string?)third["cid"], (string?)(await GetRecord(account.Did, "app.bsky.actor.profile", "self")).Ok().Json["cid"]);
    }

    [Fact]
    public async Task DeleteRecord_MissingIsNoOpAndSwapIsChecked()
    {
        var account = await server.CreateAccountAsync("delete");
        var head = await LatestCommit(account.Did);
        (await Delete(account, "3aaaaaaaaaaa2")).Ok();
        Assert.Equal(head, await LatestCommit(account.Did));

        var created = (await server.CreateRecordAsync(account, Posts, AccountTests.Post("doomed"), "3aaaaaaaaaaa2")).Ok().Json;
        var other = (await server.CreateRecordAsync(account, Posts, AccountTests.Post("other"))).Ok().Json;
        (await Delete(account, "3aaaaaaaaaaa2", (string)other["cid"]!)).Fails(400, "InvalidSwap");
        (await GetRecord(account.Did, Posts, "3aaaaaaaaaaa2")).Ok();
        var deleted = (await Delete(account, "3aaaaaaaaaaa2", (string)created["cid"]!)).Ok().Json;
        Assert.NotNull(deleted["commit"]?["rev"]);
        (await GetRecord(account.Did, Posts, "3aaaaaaaaaaa2")).Fails(400, "RecordNotFound");
        // Again: nothing left to delete, still fine.
        (await Delete(account, "3aaaaaaaaaaa2")).Ok();
    }

    [Fact]
    public async Task SwapCommit_MustBeTheCurrentHead()
    {
        var account = await server.CreateAccountAsync("swapc");
        var stale = await LatestCommit(account.Did);
        await server.PostAsync(account, "moves the head");
        var current = await LatestCommit(account.Did);

        (await Xrpc.PostAsync("com.atproto.repo.createRecord",
            new { repo = account.Did, collection = Posts, record = AccountTests.Post("x"), swapCommit = stale }, account.Bearer)).Fails(400, "InvalidSwap");
        (await Xrpc.PostAsync("com.atproto.repo.putRecord",
            new { repo = account.Did, collection = Posts, rkey = "3aaaaaaaaaaa2", record = AccountTests.Post("x"), swapCommit = stale }, account.Bearer)).Fails(400, "InvalidSwap");
        (await Xrpc.PostAsync("com.atproto.repo.applyWrites",
            new { repo = account.Did, swapCommit = stale, writes = new[] { CreateWrite("3aaaaaaaaaaa3") } }, account.Bearer)).Fails(400, "InvalidSwap");
        Assert.Equal(current, await LatestCommit(account.Did));

        (await Xrpc.PostAsync("com.atproto.repo.createRecord",
            new { repo = account.Did, collection = Posts, record = AccountTests.Post("x"), swapCommit = current }, account.Bearer)).Ok();
        (await Xrpc.PostAsync("com.atproto.repo.createRecord",
            new { repo = account.Did, collection = Posts, record = AccountTests.Post("x"), swapCommit = "not-a-cid" }, account.Bearer)).Fails(400, "InvalidRequest");
    }

    [Fact]
    public async Task ApplyWrites_IsAllOrNothing()
    {
        var account = await server.CreateAccountAsync("batch");
        await server.CreateRecordAsync(account, Posts, AccountTests.Post("exists"), "3aaaaaaaaaaa2");
        var head = await LatestCommit(account.Did);

        // The second write fails (updating a record that does not exist): the first must not land.
        var failing = await Xrpc.PostAsync("com.atproto.repo.applyWrites", new
        {
            repo = account.Did,
            writes = new[] { CreateWrite("3aaaaaaaaaaa5"), UpdateWrite("3aaaaaaaaaaa7") },
        }, account.Bearer);
        Assert.Equal(400, failing.Code);
        (await GetRecord(account.Did, Posts, "3aaaaaaaaaaa5")).Fails(400, "RecordNotFound");
        Assert.Equal(head, await LatestCommit(account.Did));

        // Creating over an existing record fails the whole batch too.
        Assert.Equal(400, (await Xrpc.PostAsync("com.atproto.repo.applyWrites",
            new { repo = account.Did, writes = new[] { CreateWrite("3aaaaaaaaaaa6"), CreateWrite("3aaaaaaaaaaa2") } }, account.Bearer)).Code);
        (await GetRecord(account.Did, Posts, "3aaaaaaaaaaa6")).Fails(400, "RecordNotFound");
        Assert.Equal(head, await LatestCommit(account.Did));

        // An unknown write type, or a write without its value.
        (await Xrpc.PostAsync("com.atproto.repo.applyWrites",
            new { repo = account.Did, writes = new[] { new JsonObject { ["$type"] = "com.atproto.repo.applyWrites#upsert", ["collection"] = Posts, ["rkey"] = "3aaaaaaaaaaa8" } } }, account.Bearer))
            .Fails(400, "InvalidRequest");
        (await Xrpc.PostAsync("com.atproto.repo.applyWrites",
            new { repo = account.Did, writes = new[] { new JsonObject { ["$type"] = "com.atproto.repo.applyWrites#create", ["collection"] = Posts } } }, account.Bearer))
            .Fails(400, "InvalidRequest");
        Assert.Equal(head, await LatestCommit(account.Did));

        // A good batch applies in one commit with one result per write.
        var good = (await Xrpc.PostAsync("com.atproto.repo.applyWrites",
            new { repo = account.Did, writes = new[] { CreateWrite("3aaaaaaaaaaa5"), UpdateWrite("3aaaaaaaaaaa2"), DeleteWrite("3aaaaaaaaaaa5x") } }, account.Bearer));
        Assert.Equal(400, good.Code);
        good = (await Xrpc.PostAsync("com.atproto.repo.applyWrites",
            new { repo = account.Did, writes = new[] { CreateWrite("3aaaaaaaaaaa5"), CreateWrite("3aaaaaaaaaaa6"), UpdateWrite("3aaaaaaaaaaa2") } }, account.Bearer)).Ok();
        var results = good.Json["results"]!.AsArray();
        Assert.Equal(["createResult", "createResult", "updateResult"], results.Select(r => ((string)r!["$type"]!).Split('#')[1]));
        Assert.All(results, r => Assert.NotNull(r!["cid"]));
        Assert.Equal((string?)good.Json["commit"]!["cid"], await LatestCommit(account.Did));
        (await Xrpc.PostAsync("com.atproto.repo.applyWrites",
            new { repo = account.Did, writes = new[] { DeleteWrite("3aaaaaaaaaaa5"), DeleteWrite("3aaaaaaaaaaa6") } }, account.Bearer)).Ok();
        (await GetRecord(account.Did, Posts, "3aaaaaaaaaaa5")).Fails(400, "RecordNotFound");
    }

    [Fact]
    public async Task ApplyWrites_MoreThan200_IsRejected()
    {
        var account = await server.CreateAccountAsync("many");
        var writes = Enumerable.Range(0, 201).Select(i => CreateWrite(Tid.FromParts(1_700_000_000_000_000 + i, 0).ToString())).ToArray();
        (await Xrpc.PostAsync("com.atproto.repo.applyWrites", new { repo = account.Did, writes }, account.Bearer)).Fails(400, "InvalidRequest");
        Assert.Equal(200, (await Xrpc.PostAsync("com.atproto.repo.applyWrites", new { repo = account.Did, writes = writes[..200] }, account.Bearer)).Code);
    }

    [Fact]
    public async Task ListRecords_OrderLimitsAndCursorPaging()
    {
        var account = await server.CreateAccountAsync("list");
        var rkeys = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var json = await server.PostAsync(account, $"post {i}");
            rkeys.Add(((string)json["uri"]!).Split('/')[^1]);
        }
        await server.CreateRecordAsync(account, "app.bsky.actor.profile", new JsonObject { ["displayName"] = "not a post" }, "self");
        var ascending = rkeys.Order(StringComparer.Ordinal).ToList();

        var newestFirst = (await List(account.Did)).Ok().Json;
        Assert.Equal(ascending.AsEnumerable().Reverse(), Rkeys(newestFirst));
        Assert.Null(newestFirst["cursor"]);
        Assert.Equal(ascending, Rkeys((await List(account.Did, ("reverse", "true"))).Ok().Json));
        Assert.Equal($"at://{account.Did}/{Posts}/{ascending[^1]}", (string?)newestFirst["records"]![0]!["uri"]);
        Assert.Equal("post 6", (string?)newestFirst["records"]![0]!["value"]!["text"]);

        (await List(account.Did, ("limit", "0"))).Fails(400, "InvalidRequest");
        (await List(account.Did, ("limit", "101"))).Fails(400, "InvalidRequest");
        (await List(account.Did, ("limit", "x"))).Fails(400, "InvalidRequest");
        (await List(account.Did, ("reverse", "maybe"))).Fails(400, "InvalidRequest");
        Assert.Single(Rkeys((await List(account.Did, ("limit", "1"))).Ok().Json));
        Assert.Equal(7, Rkeys((await List(account.Did, ("limit", "100"))).Ok().Json).Count);

        foreach (var reverse in new[] { false, true })
        {
            var seen = (await Xrpc.PageAllAsync("com.atproto.repo.listRecords", "records",
                ("repo", account.Did), ("collection", Posts), ("limit", "3"), ("reverse", reverse ? "true" : "false")))
                .Select(r => ((string)r["uri"]!).Split('/')[^1]);
            Assert.Equal(reverse ? ascending : ascending.AsEnumerable().Reverse(), seen);
        }

        (await Xrpc.GetAsync("com.atproto.repo.listRecords", ("repo", "nobody.test"), ("collection", Posts))).Fails(400, "RepoNotFound");
        Assert.Empty(Rkeys((await Xrpc.GetAsync("com.atproto.repo.listRecords", ("repo", account.Did), ("collection", "app.bsky.feed.like"))).Ok().Json));
    }

    [Fact]
    public async Task DescribeRepo_ListsCollectionsAndDidDoc()
    {
        var account = await server.CreateAccountAsync("descr");
        await server.PostAsync(account, "one");
        await server.CreateRecordAsync(account, "app.bsky.actor.profile", new JsonObject { ["displayName"] = "D" }, "self");
        var json = (await Xrpc.GetAsync("com.atproto.repo.describeRepo", ("repo", account.Handle))).Ok().Json;
        Assert.Equal(account.Did, (string?)json["did"]);
        Assert.Equal(account.Handle, (string?)json["handle"]);
        Assert.True((bool)json["handleIsCorrect"]!);
        Assert.Equal(account.Did, (string?)json["didDoc"]!["id"]);
        Assert.Equal(["app.bsky.actor.profile", Posts], json["collections"]!.AsArray().Select(c => (string?)c).Order());

        (await Xrpc.GetAsync("com.atproto.repo.describeRepo", ("repo", "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa"))).Fails(400, "RepoNotFound");
        (await Xrpc.GetAsync("com.atproto.repo.describeRepo")).Fails(400, "InvalidRequest");
    }

    private Task<XrpcResponse> GetRecord(string repo, string collection, string rkey, string? cid = null) =>
        cid is null
            ? Xrpc.GetAsync("com.atproto.repo.getRecord", ("repo", repo), ("collection", collection), ("rkey", rkey))
            : Xrpc.GetAsync("com.atproto.repo.getRecord", ("repo", repo), ("collection", collection), ("rkey", rkey), ("cid", cid));

    private Task<XrpcResponse> Put(TestAccount account, string rkey, string name, string? swapRecord = null, bool nullSwap = false)
    {
        var body = new JsonObject
        {
            ["repo"] = account.Did,
            ["collection"] = "app.bsky.actor.profile",
            ["rkey"] = rkey,
            ["record"] = new JsonObject { ["displayName"] = name },
        };
        if (swapRecord is not null || nullSwap)
        {
            body["swapRecord"] = swapRecord;
        }
        return Xrpc.PostAsync("com.atproto.repo.putRecord", body, account.Bearer);
    }

    private Task<XrpcResponse> Delete(TestAccount account, string rkey, string? swapRecord = null) =>
        Xrpc.PostAsync("com.atproto.repo.deleteRecord",
            new JsonObject { ["repo"] = account.Did, ["collection"] = Posts, ["rkey"] = rkey, ["swapRecord"] = swapRecord }, account.Bearer);

    private Task<XrpcResponse> List(string repo, params (string, string)[] query) =>
        Xrpc.GetAsync("com.atproto.repo.listRecords", [("repo", repo), ("collection", Posts), .. query]);

    private async Task<string> LatestCommit(string did) =>
        (string)(await Xrpc.GetAsync("com.atproto.sync.getLatestCommit", ("did", did))).Ok().Json["cid"]!;

    private static List<string> Rkeys(JsonNode list) =>
        list["records"]!.AsArray().Select(r => ((string)r!["uri"]!).Split('/')[^1]).ToList();

    internal static JsonObject CreateWrite(string rkey) => new()
    {
        ["$type"] = "com.atproto.repo.applyWrites#create", ["collection"] = Posts, ["rkey"] = rkey, ["value"] = AccountTests.Post("batch " + rkey),
    };

    internal static JsonObject UpdateWrite(string rkey) => new()
    {
        ["$type"] = "com.atproto.repo.applyWrites#update", ["collection"] = Posts, ["rkey"] = rkey, ["value"] = AccountTests.Post("updated " + rkey),
    };

    internal static JsonObject DeleteWrite(string rkey) => new()
    {
        ["$type"] = "com.atproto.repo.applyWrites#delete", ["collection"] = Posts, ["rkey"] = rkey,
    };
}
