using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Pds.Core.Auth;

namespace Pds.Functions.Tests.Server;

/// <summary>The XRPC edge: every failure is a JSON error with the right status and name, never a 500.</summary>
public class ErrorTests(PdsServerFixture server) : IClassFixture<PdsServerFixture>
{
    private const string Posts = "app.bsky.feed.post";
    private XrpcClient Xrpc => server.Xrpc;

    [Fact]
    public async Task UnknownMethod_Is501()
    {
        (await Xrpc.GetAsync("com.example.nothing.here")).Fails(501, "MethodNotImplemented");
        (await Xrpc.PostAsync("com.example.nothing.here", new { })).Fails(501, "MethodNotImplemented");
        (await Xrpc.GetAsync("not-an-nsid")).Fails(501, "MethodNotImplemented");
    }

    [Fact]
    public async Task WrongHttpVerb_IsAJsonError()
    {
        var get = await Xrpc.GetAsync("com.atproto.server.createSession");
        Assert.InRange(get.Code, 400, 499);
        Assert.Equal("InvalidRequest", get.Error);
        var post = await Xrpc.PostAsync("com.atproto.server.describeServer", new { });
        Assert.InRange(post.Code, 400, 499);
        Assert.Equal("InvalidRequest", post.Error);
        // HEAD is a query too.
        var head = await Xrpc.SendAsync(new HttpRequestMessage(HttpMethod.Head, "xrpc/com.atproto.server.describeServer"));
        Assert.Equal(200, head.Code);
    }

    [Fact]
    public async Task BrowserClients_GetCorsAnswers()
    {
        var preflight = new HttpRequestMessage(HttpMethod.Options, "xrpc/com.atproto.repo.createRecord");
        preflight.Headers.Add("Origin", "https://app.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        var answer = await Xrpc.SendAsync(preflight);
        Assert.InRange(answer.Code, 200, 204);
        Assert.Equal(["*"], answer.Message.Headers.GetValues("Access-Control-Allow-Origin"));

        var get = new HttpRequestMessage(HttpMethod.Get, "xrpc/com.atproto.server.describeServer");
        get.Headers.Add("Origin", "https://app.example");
        var response = (await Xrpc.SendAsync(get)).Ok();
        Assert.Equal(["*"], response.Message.Headers.GetValues("Access-Control-Allow-Origin"));
        // Errors carry CORS headers too, or a browser cannot read them.
        var failing = new HttpRequestMessage(HttpMethod.Get, "xrpc/com.atproto.sync.getRepo");
        failing.Headers.Add("Origin", "https://app.example");
        var error = (await Xrpc.SendAsync(failing)).Fails(400, "InvalidRequest");
        Assert.Equal(["*"], error.Message.Headers.GetValues("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task MissingOrBadParams_AreInvalidRequest()
    {
        (await Xrpc.GetAsync("com.atproto.repo.getRecord", ("repo", "alice.test"), ("collection", Posts))).Fails(400, "InvalidRequest");
        (await Xrpc.GetAsync("com.atproto.repo.listRecords", ("repo", "alice.test"))).Fails(400, "InvalidRequest");
        (await Xrpc.GetAsync("com.atproto.sync.getRepo")).Fails(400, "InvalidRequest");
        (await Xrpc.GetAsync("com.atproto.sync.getBlob", ("did", "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa"))).Fails(400, "InvalidRequest");
        (await Xrpc.GetAsync("com.atproto.sync.listRepos", ("limit", "-1"))).Fails(400, "InvalidRequest");
        (await Xrpc.GetAsync("com.atproto.sync.getBlocks", ("did", "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa"), ("cids", "bafy!!"))).Fails(400, "InvalidRequest");
        (await Xrpc.GetAsync("com.atproto.identity.resolveHandle", ("handle", ""))).Fails(400, "InvalidRequest");
    }

    [Fact]
    public async Task MalformedBodies_AreInvalidRequest()
    {
        var account = await server.CreateAccountAsync("body");
        foreach (var raw in new[] { "{", "not json", "[1,2]", "\"string\"", "", "{\"repo\": }", new string('[', 200) + new string(']', 200) })
        {
            (await Raw(account, raw, "application/json")).Fails(400, "InvalidRequest");
        }
        // The content type must be JSON.
        var body = new JsonObject { ["repo"] = account.Did, ["collection"] = Posts, ["record"] = AccountTests.Post("x") }.ToJsonString();
        (await Raw(account, body, "text/plain")).Fails(400, "InvalidRequest");
        (await Raw(account, body, null)).Fails(400, "InvalidRequest");
        (await Raw(account, body, "application/json; charset=utf-8")).Ok();
        // A string escape JSON allows but no string can hold.
        (await Raw(account, """{"identifier": "\ud800", "password": "x"}""", "application/json", "com.atproto.server.createSession")).Fails(400, "InvalidRequest");
        // Fields of the wrong JSON type.
        (await Xrpc.PostAsync("com.atproto.repo.createRecord", new { repo = 5, collection = Posts, record = AccountTests.Post("x") }, account.Bearer)).Fails(400, "InvalidRequest");
        (await Xrpc.PostAsync("com.atproto.server.createSession", new { identifier = true, password = "x" })).Fails(400, "InvalidRequest");
    }

    [Fact]
    public async Task BodyOverTheJsonLimit_Is413()
    {
        var account = await server.CreateAccountAsync("huge");
        var huge = new JsonObject
        {
            ["repo"] = account.Did, ["collection"] = Posts, ["record"] = AccountTests.Post(new string('a', Pds.Functions.Xrpc.XrpcContext.MaxJsonBody + 10)),
        }.ToJsonString();
        (await Raw(account, huge, "application/json")).Fails(413, "PayloadTooLarge");
        // Chunked: no Content-Length to check up front.
        var chunked = new StreamContent(new NoLengthStream(Encoding.UTF8.GetBytes(huge)));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        (await Xrpc.PostAsync("com.atproto.repo.createRecord", chunked, account.Bearer)).Fails(413, "PayloadTooLarge");
    }

    [Fact]
    public async Task Writes_WithoutAuth_Are401()
    {
        var account = await server.CreateAccountAsync("noauth");
        (await Xrpc.PostAsync("com.atproto.repo.createRecord", new { repo = account.Did, collection = Posts, record = AccountTests.Post("x") })).Fails(401, "AuthenticationRequired");
        (await Xrpc.PostAsync("com.atproto.repo.putRecord", new { repo = account.Did, collection = Posts, rkey = "3aaaaaaaaaaa2", record = AccountTests.Post("x") })).Fails(401, "AuthenticationRequired");
        (await Xrpc.PostAsync("com.atproto.repo.deleteRecord", new { repo = account.Did, collection = Posts, rkey = "3aaaaaaaaaaa2" })).Fails(401, "AuthenticationRequired");
        (await Xrpc.PostAsync("com.atproto.repo.applyWrites", new { repo = account.Did, writes = Array.Empty<object>() })).Fails(401, "AuthenticationRequired");
        (await Xrpc.PostAsync("com.atproto.server.createAppPassword", new { name = "x" })).Fails(401, "AuthenticationRequired");
        (await Xrpc.PostAsync("com.atproto.server.deactivateAccount", new { })).Fails(401, "AuthenticationRequired");
        // An authorization scheme other than Bearer is not a session.
        var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + server.Secrets.AdminPassword)));
        (await Xrpc.PostAsync("com.atproto.repo.createRecord", new { repo = account.Did, collection = Posts, record = AccountTests.Post("x") }, basic)).Fails(401, "AuthenticationRequired");
    }

    [Fact]
    public async Task BadTokens_AreInvalidOrExpired()
    {
        var account = await server.CreateAccountAsync("tokens");
        var write = new { repo = account.Did, collection = Posts, record = AccountTests.Post("x") };
        async Task Check(string token, string error) =>
            (await Xrpc.PostAsync("com.atproto.repo.createRecord", write, XrpcClient.Bearer(token))).Fails(400, error);

        // Tampered: the payload names another scope, the signature no longer matches.
        var parts = account.AccessJwt.Split('.');
        var payload = JsonNode.Parse(Base64Url(parts[1]))!;
        payload["sub"] = "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa";
        await Check($"{parts[0]}.{ToBase64Url(payload.ToJsonString())}.{parts[2]}", "InvalidToken");
        await Check(parts[0] + "." + parts[1] + "." + parts[2][..^4] + "AAAA", "InvalidToken");
        await Check("garbage", "InvalidToken");
        await Check("a.b.c", "InvalidToken");
        // alg none.
        var none = ToBase64Url("{\"typ\":\"at+jwt\",\"alg\":\"none\"}") + "." + parts[1] + ".";
        await Check(none, "InvalidToken");

        // Signed with another secret.
        var foreign = new TokenService(new byte[32], server.Config.ServiceDid, TimeProvider.System);
        await Check(foreign.CreateAccessToken(account.Did, AuthScopes.Access), "InvalidToken");
        // Right secret, wrong audience.
        var otherAud = new TokenService(server.Secrets.JwtSecret, "did:web:elsewhere.example", TimeProvider.System);
        await Check(otherAud.CreateAccessToken(account.Did, AuthScopes.Access), "InvalidToken");
        // Right secret, issued three hours ago: expired.
        var past = new TokenService(server.Secrets.JwtSecret, server.Config.ServiceDid, new FixedClock(DateTimeOffset.UtcNow.AddHours(-3)));
        await Check(past.CreateAccessToken(account.Did, AuthScopes.Access), "ExpiredToken");
        var (expiredRefresh, _, _) = past.CreateRefreshToken(account.Did);
        (await Xrpc.PostAsync("com.atproto.server.refreshSession", null, XrpcClient.Bearer(expiredRefresh))).Fails(400, "ExpiredToken");
        // Right secret, a scope this PDS never issues for access.
        var good = new TokenService(server.Secrets.JwtSecret, server.Config.ServiceDid, TimeProvider.System);
        await Check(good.CreateAccessToken(account.Did, "com.atproto.takendown"), "InvalidToken");
        // And the control: a token minted the same way with the right scope works.
        (await Xrpc.PostAsync("com.atproto.repo.createRecord", write, XrpcClient.Bearer(good.CreateAccessToken(account.Did, AuthScopes.Access)))).Ok();
    }

    [Fact]
    public async Task WritingToAnotherRepo_Is403()
    {
        var owner = await server.CreateAccountAsync("owner");
        var intruder = await server.CreateAccountAsync("intruder");
        var post = await server.PostAsync(owner, "mine");
        var rkey = ((string)post["uri"]!).Split('/')[^1];
        (await Xrpc.PostAsync("com.atproto.repo.createRecord", new { repo = owner.Did, collection = Posts, record = AccountTests.Post("x") }, intruder.Bearer)).Fails(403, "Forbidden");
        (await Xrpc.PostAsync("com.atproto.repo.createRecord", new { repo = owner.Handle, collection = Posts, record = AccountTests.Post("x") }, intruder.Bearer)).Fails(403, "Forbidden");
        (await Xrpc.PostAsync("com.atproto.repo.putRecord", new { repo = owner.Did, collection = Posts, rkey, record = AccountTests.Post("x") }, intruder.Bearer)).Fails(403, "Forbidden");
        (await Xrpc.PostAsync("com.atproto.repo.deleteRecord", new { repo = owner.Did, collection = Posts, rkey }, intruder.Bearer)).Fails(403, "Forbidden");
        (await Xrpc.PostAsync("com.atproto.repo.applyWrites", new { repo = owner.Did, writes = new[] { RepoMethodsTests.DeleteWrite(rkey) } }, intruder.Bearer)).Fails(403, "Forbidden");
        (await Xrpc.GetAsync("com.atproto.repo.getRecord", ("repo", owner.Did), ("collection", Posts), ("rkey", rkey))).Ok();
        // Writing by handle to your own repo is fine.
        (await Xrpc.PostAsync("com.atproto.repo.createRecord", new { repo = owner.Handle, collection = Posts, record = AccountTests.Post("x") }, owner.Bearer)).Ok();
    }

    [Theory]
    [InlineData("""{"text": "x", "score": 1.5}""")]
    [InlineData("""{"text": "x", "link": {"$link": "not-a-cid"}}""")]
    [InlineData("""{"text": "x", "link": {"$link": 5}}""")]
    [InlineData("""{"text": "x", "link": {"$link": "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm", "extra": 1}}""")]
    [InlineData("""{"text": "x", "bytes": {"$bytes": "%%%"}}""")]
    [InlineData("""{"text": "x", "big": 18446744073709551616}""")]
    [InlineData("""{"text": "\ud800"}""")]
    [InlineData("""{"\udc00": "x"}""")]
    [InlineData("""{"text": "x", "blob": {"$type": "blob", "ref": "not-a-link", "mimeType": "image/png", "size": 1}}""")]
    public async Task BadRecordValues_Are400(string record)
    {
        var account = await server.CreateAccountAsync("values");
        var body = $$"""{"repo": "{{account.Did}}", "collection": "{{Posts}}", "record": {{record}}}""";
        (await Raw(account, body, "application/json")).Fails(400, "InvalidRequest");
        var batch = $$"""{"repo": "{{account.Did}}", "writes": [{"$type": "com.atproto.repo.applyWrites#create", "collection": "{{Posts}}", "value": {{record}}}]}""";
        (await Raw(account, batch, "application/json", "com.atproto.repo.applyWrites")).Fails(400, "InvalidRequest");
    }

    [Fact]
    public async Task GoodLinksAndBytes_RoundTrip()
    {
        var account = await server.CreateAccountAsync("links");
        const string link = "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm";
        var record = $$"""{"text": "x", "link": {"$link": "{{link}}"}, "bytes": {"$bytes": "AQID"}, "n": -42 }""";
        var body = $$"""{"repo": "{{account.Did}}", "collection": "{{Posts}}", "rkey": "3aaaaaaaaaaa2", "record": {{record}} }""";
        (await Raw(account, body, "application/json")).Ok();
        var value = (await Xrpc.GetAsync("com.atproto.repo.getRecord", ("repo", account.Did), ("collection", Posts), ("rkey", "3aaaaaaaaaaa2"))).Ok().Json["value"]!;
        Assert.Equal(link, (string?)value["link"]!["$link"]);
        Assert.Equal("AQID", (string?)value["bytes"]!["$bytes"]);
        Assert.Equal(-42, (long)value["n"]!);
    }

    private Task<XrpcResponse> Raw(TestAccount account, string body, string? contentType, string nsid = "com.atproto.repo.createRecord")
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        return Xrpc.PostAsync(nsid, content, account.Bearer);
    }

    private static byte[] Base64Url(string s) => System.Buffers.Text.Base64Url.DecodeFromChars(s);

    private static string ToBase64Url(string s) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(s));

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
