namespace Pds.Functions.Tests.Server;

/// <summary>com.atproto.identity.resolveHandle and updateHandle (through the real PLC directory).</summary>
public class IdentityTests(PdsServerFixture server) : IClassFixture<PdsServerFixture>
{
    private XrpcClient Xrpc => server.Xrpc;

    [Fact]
    public async Task ResolveHandle_HostedAndUnknown()
    {
        var account = await server.CreateAccountAsync("resolve");
        Assert.Equal(account.Did, (string?)(await Resolve(account.Handle)).Ok().Json["did"]);
        Assert.Equal(account.Did, (string?)(await Resolve(account.Handle.ToUpperInvariant())).Ok().Json["did"]);
        (await Resolve("nobody-" + Guid.NewGuid().ToString("N")[..8] + ".test")).Fails(400, "HandleNotFound");
        (await Resolve("not a handle")).Fails(400, "InvalidRequest");
        (await Xrpc.GetAsync("com.atproto.identity.resolveHandle")).Fails(400, "InvalidRequest");
    }

    [Fact]
    public async Task UpdateHandle_UpdatesPlcAndResolutionAndAnnouncesIdentity()
    {
        var account = await server.CreateAccountAsync("rename");
        using var firehose = await server.SubscribeAsync();
        var renamed = server.NewHandle("renamed");
        (await Xrpc.PostAsync("com.atproto.identity.updateHandle", new { handle = renamed }, account.Bearer)).Ok();

        var identity = await firehose.NextForAsync(account.Did, "#identity");
        Assert.Equal(renamed, identity.Str("handle"));

        var doc = await server.DidDocumentAsync(account.Did);
        Assert.Equal(renamed, doc.Handle?.ToString());
        Assert.Equal(["at://" + renamed], doc.AlsoKnownAs);
        Assert.Equal(account.Did, (string?)(await Resolve(renamed)).Ok().Json["did"]);
        (await Resolve(account.Handle)).Fails(400, "HandleNotFound");

        Assert.Equal(renamed, (string?)(await Xrpc.GetAsync("com.atproto.server.getSession", account.Bearer)).Ok().Json["handle"]);
        var described = (await Xrpc.GetAsync("com.atproto.repo.describeRepo", ("repo", renamed))).Ok().Json;
        Assert.Equal(renamed, (string?)described["handle"]);
        Assert.True((bool)described["handleIsCorrect"]!);
        // Login by the new handle; the old one is gone.
        (await Xrpc.PostAsync("com.atproto.server.createSession", new { identifier = renamed, password = account.Password })).Ok();
        (await Xrpc.PostAsync("com.atproto.server.createSession", new { identifier = account.Handle, password = account.Password })).Fails(401, "AuthenticationRequired");

        // The old handle is free again.
        var next = await server.CreateAccountAsync("next");
        (await Xrpc.PostAsync("com.atproto.identity.updateHandle", new { handle = account.Handle }, next.Bearer)).Ok();
        Assert.Equal(next.Did, (string?)(await Resolve(account.Handle)).Ok().Json["did"]);
    }

    [Fact]
    public async Task UpdateHandle_TakenInvalidOrUnauthenticated()
    {
        var account = await server.CreateAccountAsync("taken");
        var other = await server.CreateAccountAsync("holder");
        (await Xrpc.PostAsync("com.atproto.identity.updateHandle", new { handle = other.Handle }, account.Bearer)).Fails(400, "HandleNotAvailable");
        (await Xrpc.PostAsync("com.atproto.identity.updateHandle", new { handle = "bad_handle.test" }, account.Bearer)).Fails(400, "InvalidHandle");
        (await Xrpc.PostAsync("com.atproto.identity.updateHandle", new { handle = "x.test" }, account.Bearer)).Fails(400, "InvalidHandle");
        (await Xrpc.PostAsync("com.atproto.identity.updateHandle", new { handle = server.NewHandle() })).Fails(401, "AuthenticationRequired");
        (await Xrpc.PostAsync("com.atproto.identity.updateHandle", new { }, account.Bearer)).Fails(400, "InvalidRequest");
        // An external domain must resolve to the account first.
        (await Xrpc.PostAsync("com.atproto.identity.updateHandle", new { handle = "alice.example.com" }, account.Bearer)).Fails(400, "InvalidHandle");
        // Setting the same handle again is allowed (clients use it to ask for a refresh).
        (await Xrpc.PostAsync("com.atproto.identity.updateHandle", new { handle = account.Handle }, account.Bearer)).Ok();
        Assert.Equal(account.Handle, (await server.DidDocumentAsync(account.Did)).Handle?.ToString());
    }

    [Fact]
    public async Task UpdateHandle_SameHandleConcurrently_OnlyTheWinnersDocumentChanges()
    {
        var accounts = new List<TestAccount>();
        for (var i = 0; i < 3; i++)
        {
            accounts.Add(await server.CreateAccountAsync("contest"));
        }
        var wanted = server.NewHandle("prize");
        var attempts = await Task.WhenAll(accounts.Select(a => Xrpc.PostAsync("com.atproto.identity.updateHandle", new { handle = wanted }, a.Bearer)));
        var winner = accounts[Array.FindIndex(attempts, a => a.Code == 200)];
        Assert.Single(attempts, a => a.Code == 200);
        Assert.All(attempts.Where(a => a.Code != 200), a => a.Fails(400, "HandleNotAvailable"));
        Assert.Equal(winner.Did, (string?)(await Resolve(wanted)).Ok().Json["did"]);
        foreach (var account in accounts)
        {
            var expected = account == winner ? wanted : account.Handle;
            Assert.Equal(expected, (await server.DidDocumentAsync(account.Did)).Handle?.ToString());
            Assert.Equal(expected, (string?)(await Xrpc.GetAsync("com.atproto.server.getSession", account.Bearer)).Ok().Json["handle"]);
        }
    }

    [Fact]
    public async Task WellKnownAtprotoDid_AnswersForHostedHandles()
    {
        var account = await server.CreateAccountAsync("wellknown");
        var found = await WellKnown(account.Handle);
        Assert.Equal(200, found.Code);
        Assert.Equal(account.Did, found.Text.Trim());
        Assert.Equal(404, (await WellKnown("nobody-here.test")).Code);
        Assert.Equal(404, (await WellKnown("example.com")).Code);
    }

    private Task<XrpcResponse> WellKnown(string host)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, ".well-known/atproto-did");
        request.Headers.Host = host;
        return Xrpc.SendAsync(request);
    }

    private Task<XrpcResponse> Resolve(string handle) => Xrpc.GetAsync("com.atproto.identity.resolveHandle", ("handle", handle));
}
