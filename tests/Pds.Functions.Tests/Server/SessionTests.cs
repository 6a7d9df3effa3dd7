using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Pds.Core.Auth;

namespace Pds.Functions.Tests.Server;

/// <summary>createSession, getSession, refreshSession, deleteSession, app passwords, getServiceAuth.</summary>
public class SessionTests(PdsServerFixture server) : IClassFixture<PdsServerFixture>
{
    private XrpcClient Xrpc => server.Xrpc;

    [Fact]
    public async Task CreateSession_ByHandleEmailAndDid()
    {
        var account = await server.CreateAccountAsync("login");
        foreach (var identifier in new[] { account.Handle, account.Handle.ToUpperInvariant(), account.Handle + "@example.com", account.Handle.ToUpperInvariant() + "@Example.COM", account.Did })
        {
            var json = (await Login(identifier, account.Password)).Ok().Json;
            Assert.Equal(account.Did, (string?)json["did"]);
            Assert.Equal(account.Handle, (string?)json["handle"]);
            Assert.Equal(account.Handle + "@example.com", (string?)json["email"]);
            Assert.True((bool)json["active"]!);
            Assert.Equal(AuthScopes.Access, Claim((string)json["accessJwt"]!, "scope"));
            Assert.Equal("refresh+jwt", Header((string)json["refreshJwt"]!, "typ"));
            Assert.Equal("at+jwt", Header((string)json["accessJwt"]!, "typ"));
        }
    }

    [Fact]
    public async Task CreateSession_WrongPasswordOrUnknownUser_Is401()
    {
        var account = await server.CreateAccountAsync("wrong");
        (await Login(account.Handle, "not the password")).Fails(401, "AuthenticationRequired");
        (await Login("nobody-here.test", account.Password)).Fails(401, "AuthenticationRequired");
        (await Login("did:plc:aaaaaaaaaaaaaaaaaaaaaaaa", account.Password)).Fails(401, "AuthenticationRequired");
        (await Xrpc.PostAsync("com.atproto.server.createSession", new { identifier = account.Handle })).Fails(400, "InvalidRequest");
    }

    [Fact]
    public async Task GetSession_DescribesTheAccount()
    {
        var account = await server.CreateAccountAsync("getsess");
        var json = (await Xrpc.GetAsync("com.atproto.server.getSession", account.Bearer)).Ok().Json;
        Assert.Equal(account.Did, (string?)json["did"]);
        Assert.Equal(account.Handle, (string?)json["handle"]);
        Assert.Equal(account.Handle + "@example.com", (string?)json["email"]);
        Assert.True((bool)json["active"]!);
        Assert.Null(json["accessJwt"]);

        (await Xrpc.GetAsync("com.atproto.server.getSession")).Fails(401, "AuthenticationRequired");
        // A refresh token is not an access token.
        (await Xrpc.GetAsync("com.atproto.server.getSession", account.RefreshBearer)).Fails(400, "InvalidToken");
    }

    [Fact]
    public async Task RefreshSession_RotatesOnce()
    {
        var account = await server.CreateAccountAsync("refresh");
        var first = (await Xrpc.PostAsync("com.atproto.server.refreshSession", null, account.RefreshBearer)).Ok().Json;
        Assert.Equal(account.Did, (string?)first["did"]);
        var newRefresh = (string)first["refreshJwt"]!;
        Assert.NotEqual(account.RefreshJwt, newRefresh);
        (await Xrpc.GetAsync("com.atproto.server.getSession", XrpcClient.Bearer((string)first["accessJwt"]!))).Ok();

        // The old refresh token is spent.
        (await Xrpc.PostAsync("com.atproto.server.refreshSession", null, account.RefreshBearer)).Fails(400, "ExpiredToken");
        // An access token is not a refresh token.
        (await Xrpc.PostAsync("com.atproto.server.refreshSession", null, account.Bearer)).Fails(400, "InvalidToken");
        (await Xrpc.PostAsync("com.atproto.server.refreshSession", null)).Fails(401, "AuthenticationRequired");
        // The new one still works, once.
        (await Xrpc.PostAsync("com.atproto.server.refreshSession", null, XrpcClient.Bearer(newRefresh))).Ok();
        (await Xrpc.PostAsync("com.atproto.server.refreshSession", null, XrpcClient.Bearer(newRefresh))).Fails(400, "ExpiredToken");
    }

    [Fact]
    public async Task RefreshSession_ConcurrentReuse_OnlyOneWins()
    {
        var account = await server.CreateAccountAsync("race");
        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Xrpc.PostAsync("com.atproto.server.refreshSession", null, account.RefreshBearer)));
        Assert.Single(attempts, r => r.Code == 200);
        Assert.All(attempts.Where(r => r.Code != 200), r => r.Fails(400, "ExpiredToken"));
    }

    [Fact]
    public async Task DeleteSession_EndsTheRefreshToken()
    {
        var account = await server.CreateAccountAsync("logout");
        (await Xrpc.PostAsync("com.atproto.server.deleteSession", null, account.Bearer)).Fails(400, "InvalidToken");
        (await Xrpc.PostAsync("com.atproto.server.deleteSession", null, account.RefreshBearer)).Ok();
        (await Xrpc.PostAsync("com.atproto.server.refreshSession", null, account.RefreshBearer)).Fails(400, "ExpiredToken");
        (await Xrpc.PostAsync("com.atproto.server.deleteSession", null)).Fails(401, "AuthenticationRequired");
    }

    [Fact]
    public async Task AppPasswords_CreateLoginListRevoke()
    {
        var account = await server.CreateAccountAsync("apppw");
        var created = (await Xrpc.PostAsync("com.atproto.server.createAppPassword", new { name = "client" }, account.Bearer)).Ok().Json;
        Assert.Equal("client", (string?)created["name"]);
        Assert.False((bool)created["privileged"]!);
        var password = (string)created["password"]!;
        Assert.Matches("^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$", password);
        (await Xrpc.PostAsync("com.atproto.server.createAppPassword", new { name = "client" }, account.Bearer)).Fails(400, "DuplicateName");

        var app = (await Login(account.Handle, password)).Ok().Json;
        var appAccess = XrpcClient.Bearer((string)app["accessJwt"]!);
        Assert.Equal(AuthScopes.AppPass, Claim((string)app["accessJwt"]!, "scope"));
        // It may write records, but not manage app passwords or the account.
        (await server.Xrpc.PostAsync("com.atproto.repo.createRecord",
            new { repo = account.Did, collection = "app.bsky.feed.post", record = AccountTests.Post("via app password") }, appAccess)).Ok();
        (await Xrpc.PostAsync("com.atproto.server.createAppPassword", new { name = "nested" }, appAccess)).Fails(400, "InvalidToken");
        (await Xrpc.GetAsync("com.atproto.server.listAppPasswords", appAccess)).Fails(400, "InvalidToken");
        (await Xrpc.PostAsync("com.atproto.server.deactivateAccount", new { }, appAccess)).Fails(400, "InvalidToken");
        (await Xrpc.PostAsync("com.atproto.identity.updateHandle", new { handle = server.NewHandle() }, appAccess)).Fails(400, "InvalidToken");

        var privileged = (await Xrpc.PostAsync("com.atproto.server.createAppPassword", new { name = "priv", privileged = true }, account.Bearer)).Ok().Json;
        var privSession = (await Login(account.Did, (string)privileged["password"]!)).Ok().Json;
        Assert.Equal(AuthScopes.AppPassPrivileged, Claim((string)privSession["accessJwt"]!, "scope"));

        var list = (await Xrpc.GetAsync("com.atproto.server.listAppPasswords", account.Bearer)).Ok().Json["passwords"]!.AsArray();
        Assert.Equal(["client", "priv"], list.Select(p => (string?)p!["name"]).Order());
        Assert.All(list, p => Assert.Null(p!["password"]));

        // The app password's refresh works until it is revoked.
        var appRefresh = (await Xrpc.PostAsync("com.atproto.server.refreshSession", null, XrpcClient.Bearer((string)app["refreshJwt"]!))).Ok().Json;
        Assert.Equal(AuthScopes.AppPass, Claim((string)appRefresh["accessJwt"]!, "scope"));
        (await Xrpc.PostAsync("com.atproto.server.revokeAppPassword", new { name = "client" }, account.Bearer)).Ok();
        (await Xrpc.PostAsync("com.atproto.server.refreshSession", null, XrpcClient.Bearer((string)appRefresh["refreshJwt"]!))).Fails(400, "ExpiredToken");
        (await Login(account.Handle, password)).Fails(401, "AuthenticationRequired");
        var after = (await Xrpc.GetAsync("com.atproto.server.listAppPasswords", account.Bearer)).Ok().Json["passwords"]!.AsArray();
        Assert.Equal(["priv"], after.Select(p => (string?)p!["name"]));
    }

    [Fact]
    public async Task GetServiceAuth_SignsWithTheDidDocumentKey()
    {
        var account = await server.CreateAccountAsync("svcauth");
        const string aud = "did:web:api.example.com#bsky_appview";
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var token = (string)(await Xrpc.GetAsync("com.atproto.server.getServiceAuth", account.Bearer,
            ("aud", aud), ("lxm", "app.bsky.feed.getTimeline"))).Ok().Json["token"]!;
        Assert.True(Jwt.TryDecode(token, out var parts, out var error), error);
        Assert.True(Jwt.VerifySignature(parts, await server.SigningKeyAsync(account.Did)), "service-auth signature does not verify");
        Assert.Equal("ES256K", (string?)parts.Header["alg"]);
        Assert.Equal(account.Did, parts.Claim("iss"));
        Assert.Equal(aud, parts.Claim("aud"));
        Assert.Equal("app.bsky.feed.getTimeline", parts.Claim("lxm"));
        Assert.NotNull(parts.Claim("jti"));
        Assert.InRange(parts.ExpiresAt!.Value, before + 30, before + 120);

        var exp = DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeSeconds();
        var custom = (string)(await Xrpc.GetAsync("com.atproto.server.getServiceAuth", account.Bearer,
            ("aud", aud), ("lxm", "app.bsky.feed.getTimeline"), ("exp", Seconds(exp)))).Ok().Json["token"]!;
        Assert.True(Jwt.TryDecode(custom, out var customParts, out _));
        Assert.Equal(exp, customParts.ExpiresAt);

        // Without lxm the token is good for any method: default lifetime only, at most a minute.
        var methodless = (string)(await Xrpc.GetAsync("com.atproto.server.getServiceAuth", account.Bearer, ("aud", aud))).Ok().Json["token"]!;
        Assert.True(Jwt.TryDecode(methodless, out var methodlessParts, out _));
        Assert.Null(methodlessParts.Claim("lxm"));
        (await Xrpc.GetAsync("com.atproto.server.getServiceAuth", account.Bearer, ("aud", aud), ("exp", Seconds(exp)))).Fails(400, "BadExpiration");
        var past = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds();
        (await Xrpc.GetAsync("com.atproto.server.getServiceAuth", account.Bearer, ("aud", aud), ("lxm", "app.bsky.feed.getTimeline"), ("exp", Seconds(past))))
            .Fails(400, "BadExpiration");

        var tooLate = DateTimeOffset.UtcNow.AddHours(2).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        (await Xrpc.GetAsync("com.atproto.server.getServiceAuth", account.Bearer, ("aud", aud), ("exp", tooLate))).Fails(400, "BadExpiration");
        (await Xrpc.GetAsync("com.atproto.server.getServiceAuth", account.Bearer, ("aud", "not-a-did"))).Fails(400, "InvalidRequest");
        (await Xrpc.GetAsync("com.atproto.server.getServiceAuth", account.Bearer)).Fails(400, "InvalidRequest");
        (await Xrpc.GetAsync("com.atproto.server.getServiceAuth", ("aud", aud))).Fails(401, "AuthenticationRequired");
    }

    [Fact]
    public async Task GetServiceAuth_RefusesProtectedAndPrivilegedMethods()
    {
        var account = await server.CreateAccountAsync("svcprot");
        const string aud = "did:web:other-pds.example";
        Task<XrpcResponse> Ask(AuthenticationHeaderValue auth, string lxm) =>
            Xrpc.GetAsync("com.atproto.server.getServiceAuth", auth, ("aud", aud), ("lxm", lxm));

        // Account management is never service-authed, whoever asks.
        foreach (var lxm in new[] { "com.atproto.server.createAppPassword", "com.atproto.identity.updateHandle", "com.atproto.server.deactivateAccount", "com.atproto.server.getSession" })
        {
            (await Ask(account.Bearer, lxm)).Fails(400, "InvalidRequest");
        }
        // Migration (createAccount elsewhere) and chat need more than a plain app password.
        (await Ask(account.Bearer, "com.atproto.server.createAccount")).Ok();
        (await Ask(account.Bearer, "chat.bsky.convo.sendMessage")).Ok();
        var plain = (await Xrpc.PostAsync("com.atproto.server.createAppPassword", new { name = "plain" }, account.Bearer)).Ok().Json;
        var plainAuth = XrpcClient.Bearer((string)(await Login(account.Did, (string)plain["password"]!)).Ok().Json["accessJwt"]!);
        (await Ask(plainAuth, "com.atproto.server.createAccount")).Fails(400, "InvalidRequest");
        (await Ask(plainAuth, "chat.bsky.convo.sendMessage")).Fails(400, "InvalidRequest");
        (await Ask(plainAuth, "app.bsky.feed.getTimeline")).Ok();
        var privileged = (await Xrpc.PostAsync("com.atproto.server.createAppPassword", new { name = "priv", privileged = true }, account.Bearer)).Ok().Json;
        var privilegedAuth = XrpcClient.Bearer((string)(await Login(account.Did, (string)privileged["password"]!)).Ok().Json["accessJwt"]!);
        (await Ask(privilegedAuth, "chat.bsky.convo.sendMessage")).Ok();
        (await Ask(privilegedAuth, "com.atproto.server.revokeAppPassword")).Fails(400, "InvalidRequest");
    }

    private static string Seconds(long unix) => unix.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private Task<XrpcResponse> Login(string identifier, string password) =>
        Xrpc.PostAsync("com.atproto.server.createSession", new { identifier, password });

    internal static string? Claim(string jwt, string name) => Jwt.TryDecode(jwt, out var parts, out _) ? parts.Claim(name) : null;

    private static string? Header(string jwt, string name) => Jwt.TryDecode(jwt, out var parts, out _) ? (string?)parts.Header[name] : null;
}
