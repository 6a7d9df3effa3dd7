using System.Text.Json.Nodes;
using Pds.Core.Crypto;
using Pds.Core.Identity;
using Pds.Functions.Hosting;

namespace Pds.Functions.Tests.Server;

/// <summary>describeServer, createAccount, checkAccountStatus, deactivate/activate, reserveSigningKey.</summary>
public class AccountTests(PdsServerFixture server) : IClassFixture<PdsServerFixture>
{
    private XrpcClient Xrpc => server.Xrpc;

    [Fact]
    public async Task DescribeServer_ListsDomainsAndDid()
    {
        var json = (await Xrpc.GetAsync("com.atproto.server.describeServer")).Ok().Json;
        Assert.Equal("did:web:localhost", (string?)json["did"]);
        Assert.Equal([".test"], json["availableUserDomains"]!.AsArray().Select(d => (string?)d));
        Assert.False((bool)json["inviteCodeRequired"]!);
    }

    [Fact]
    public async Task CreateAccount_ReturnsSessionAndDidDocFromThePlc()
    {
        var handle = server.NewHandle("shape");
        var json = (await Xrpc.PostAsync("com.atproto.server.createAccount",
            new { handle, email = handle + "@example.com", password = PdsServerFixture.Password })).Ok().Json;
        var did = (string)json["did"]!;
        Assert.StartsWith("did:plc:", did);
        Assert.Equal(handle, (string?)json["handle"]);
        Assert.False(string.IsNullOrEmpty((string?)json["accessJwt"]));
        Assert.False(string.IsNullOrEmpty((string?)json["refreshJwt"]));
        var doc = DidDocument.Parse(json["didDoc"]!.ToJsonString());
        Assert.Equal(did, doc.Id.ToString());
        Assert.Equal(handle, doc.Handle?.ToString());
        Assert.Equal(new Uri(server.Config.PublicUrl), doc.PdsEndpoint);
        Assert.Equal(await server.SigningKeyAsync(did), doc.SigningKey);

        // The new session works at once.
        var session = (await Xrpc.GetAsync("com.atproto.server.getSession", XrpcClient.Bearer((string)json["accessJwt"]!))).Ok().Json;
        Assert.Equal(did, (string?)session["did"]);
    }

    [Fact]
    public async Task CreateAccount_DuplicateHandle_IsHandleNotAvailable()
    {
        var first = await server.CreateAccountAsync("dup");
        (await Xrpc.PostAsync("com.atproto.server.createAccount",
            new { handle = first.Handle, email = "other-" + first.Handle + "@example.com", password = "pw" }))
            .Fails(400, "HandleNotAvailable");
        // Handles are case-insensitive.
        (await Xrpc.PostAsync("com.atproto.server.createAccount",
            new { handle = first.Handle.ToUpperInvariant(), email = "upper-" + first.Handle + "@example.com", password = "pw" }))
            .Fails(400, "HandleNotAvailable");
    }

    [Fact]
    public async Task CreateAccount_WithRecoveryKey_PutsItFirstAmongRotationKeys()
    {
        using var recovery = Keypair.Generate(KeyType.Secp256k1);
        var handle = server.NewHandle("recovery");
        var json = (await Xrpc.PostAsync("com.atproto.server.createAccount",
            new { handle, email = handle + "@example.com", password = "pw", recoveryKey = recovery.PublicKey.ToDidKey() })).Ok().Json;
        var did = (string)json["did"]!;
        var data = await PlcDataAsync(did);
        var rotation = data["rotationKeys"]!.AsArray().Select(k => (string)k!).ToList();
        Assert.Equal(2, rotation.Count);
        Assert.Equal(recovery.PublicKey.ToDidKey(), rotation[0]);

        // The PDS can still update the DID (its own key signs), and the recovery key stays.
        var renamed = server.NewHandle("recovered");
        (await Xrpc.PostAsync("com.atproto.identity.updateHandle", new { handle = renamed },
            XrpcClient.Bearer((string)json["accessJwt"]!))).Ok();
        var after = await PlcDataAsync(did);
        Assert.Equal(rotation, after["rotationKeys"]!.AsArray().Select(k => (string)k!));
        Assert.Equal(["at://" + renamed], after["alsoKnownAs"]!.AsArray().Select(k => (string?)k));

        (await Xrpc.PostAsync("com.atproto.server.createAccount",
            new { handle = server.NewHandle("badkey"), email = "bad-key@example.com", password = "pw", recoveryKey = "did:key:nonsense" }))
            .Fails(400, "InvalidRequest");
    }

    [Fact]
    public async Task CreateAccount_SameHandleConcurrently_OnlyOneWins()
    {
        var handle = server.NewHandle("race");
        var attempts = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Xrpc.PostAsync("com.atproto.server.createAccount",
            new { handle, email = $"race{i}-{handle}@example.com", password = "pw" })));
        var winner = Assert.Single(attempts, a => a.Code == 200);
        Assert.All(attempts.Where(a => a.Code != 200), a => a.Fails(400, "HandleNotAvailable"));
        Assert.Equal((string?)winner.Json["did"], (string?)(await Xrpc.GetAsync("com.atproto.identity.resolveHandle", ("handle", handle))).Ok().Json["did"]);
    }

    [Theory]
    [InlineData("bad_handle.test")]
    [InlineData("ab.test")]
    [InlineData("waytoolongforahandlelabel.test")]
    [InlineData("two.labels.test")]
    [InlineData("-dash.test")]
    public async Task CreateAccount_BadHandle_IsInvalidHandle(string handle)
    {
        (await Xrpc.PostAsync("com.atproto.server.createAccount", new { handle, email = "x" + Guid.NewGuid().ToString("N")[..8] + "@example.com", password = "pw" }))
            .Fails(400, "InvalidHandle");
    }

    [Fact]
    public async Task CreateAccount_OtherDomain_IsUnsupportedDomain()
    {
        (await Xrpc.PostAsync("com.atproto.server.createAccount", new { handle = "alice.example.com", email = "alice@example.com", password = "pw" }))
            .Fails(400, "UnsupportedDomain");
    }

    [Fact]
    public async Task CreateAccount_MissingFields_AreInvalidRequest()
    {
        var handle = server.NewHandle("miss");
        (await Xrpc.PostAsync("com.atproto.server.createAccount", new { handle, password = "pw" })).Fails(400, "InvalidRequest");
        (await Xrpc.PostAsync("com.atproto.server.createAccount", new { handle, email = "bad-email", password = "pw" })).Fails(400, "InvalidRequest");
        (await Xrpc.PostAsync("com.atproto.server.createAccount", new { handle, email = handle + "@example.com" })).Fails(400, "InvalidRequest");
        (await Xrpc.PostAsync("com.atproto.server.createAccount", new { email = handle + "@example.com", password = "pw" })).Fails(400, "InvalidRequest");
        // None of those created anything: the handle is still free.
        (await Xrpc.GetAsync("com.atproto.identity.resolveHandle", ("handle", handle))).Fails(400, "HandleNotFound");
    }

    [Fact]
    public async Task CreateAccount_DuplicateEmail_IsRejected()
    {
        var first = await server.CreateAccountAsync("mail");
        var response = await Xrpc.PostAsync("com.atproto.server.createAccount",
            new { handle = server.NewHandle("mail"), email = first.Handle.ToUpperInvariant() + "@EXAMPLE.com", password = "pw" });
        Assert.Equal(400, response.Code);
    }

    [Fact]
    public async Task CheckAccountStatus_CountsRepoState()
    {
        var account = await server.CreateAccountAsync("check");
        await server.PostAsync(account, "one");
        await server.PostAsync(account, "two");
        var head = (await Xrpc.GetAsync("com.atproto.sync.getLatestCommit", ("did", account.Did))).Ok().Json;
        var json = (await Xrpc.GetAsync("com.atproto.server.checkAccountStatus", account.Bearer)).Ok().Json;
        Assert.True((bool)json["activated"]!);
        Assert.True((bool)json["validDid"]!);
        Assert.Equal((string?)head["cid"], (string?)json["repoCommit"]);
        Assert.Equal((string?)head["rev"], (string?)json["repoRev"]);
        Assert.True((long)json["repoBlocks"]! >= 3);
        Assert.Equal(2, (long)json["indexedRecords"]!);
        Assert.Equal(0, (long)json["expectedBlobs"]!);
        Assert.Equal(0, (long)json["importedBlobs"]!);

        (await Xrpc.GetAsync("com.atproto.server.checkAccountStatus")).Fails(401, "AuthenticationRequired");
    }

    [Fact]
    public async Task DeactivateThenActivate_RefusesWritesAndAnnouncesAccountEvents()
    {
        var account = await server.CreateAccountAsync("deact");
        using var firehose = await server.SubscribeAsync();
        (await Xrpc.PostAsync("com.atproto.server.deactivateAccount", new { }, account.Bearer)).Ok();

        var deactivated = await firehose.NextForAsync(account.Did, "#account");
        Assert.False(((Pds.Core.DataModel.DataBoolean)deactivated.Body["active"]!).Value);
        Assert.Equal("deactivated", deactivated.Str("status"));

        var session = (await Xrpc.GetAsync("com.atproto.server.getSession", account.Bearer)).Ok().Json;
        Assert.False((bool)session["active"]!);
        Assert.Equal("deactivated", (string?)session["status"]);
        (await server.CreateRecordAsync(account, "app.bsky.feed.post", Post("refused"))).Fails(401, "AccountDeactivated");
        (await Xrpc.PostAsync("com.atproto.repo.putRecord",
            new { repo = account.Did, collection = "app.bsky.actor.profile", rkey = "self", record = new { displayName = "x" } }, account.Bearer)).Fails(401, "AccountDeactivated");
        (await Xrpc.PostAsync("com.atproto.repo.uploadBlob", new ByteArrayContent(BlobTests.Png(100)), account.Bearer)).Fails(401, "AccountDeactivated");
        (await Xrpc.GetAsync("com.atproto.sync.getLatestCommit", ("did", account.Did))).Fails(400, "RepoDeactivated");
        (await Xrpc.GetAsync("com.atproto.sync.getRepo", ("did", account.Did))).Fails(400, "RepoDeactivated");
        var status = (await Xrpc.GetAsync("com.atproto.sync.getRepoStatus", ("did", account.Did))).Ok().Json;
        Assert.False((bool)status["active"]!);
        Assert.Equal("deactivated", (string?)status["status"]);
        // Deactivating twice is fine.
        (await Xrpc.PostAsync("com.atproto.server.deactivateAccount", new { }, account.Bearer)).Ok();

        (await Xrpc.PostAsync("com.atproto.server.activateAccount", null, account.Bearer)).Ok();
        var activated = await firehose.NextForAsync(account.Did, "#account");
        Assert.True(((Pds.Core.DataModel.DataBoolean)activated.Body["active"]!).Value);
        Assert.Null(activated.Body["status"]);
        var sync = await firehose.NextAsync();
        Assert.Equal(("#sync", account.Did), (sync.Type, sync.Did));
        Assert.True(sync.Seq > activated.Seq);

        (await server.CreateRecordAsync(account, "app.bsky.feed.post", Post("allowed again"))).Ok();
        (await Xrpc.GetAsync("com.atproto.sync.getLatestCommit", ("did", account.Did))).Ok();
    }

    [Fact]
    public async Task ReserveSigningKey_ReturnsDidKeyAndIsStablePerDid()
    {
        var anonymous = (await Xrpc.PostAsync("com.atproto.server.reserveSigningKey", new { })).Ok().Json;
        var key = PublicKey.FromDidKey((string)anonymous["signingKey"]!);
        Assert.Equal(KeyType.Secp256k1, key.KeyType);
        var noBody = (await Xrpc.PostAsync("com.atproto.server.reserveSigningKey", null)).Ok().Json;
        Assert.NotEqual((string?)anonymous["signingKey"], (string?)noBody["signingKey"]);

        const string did = "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa";
        var first = (await Xrpc.PostAsync("com.atproto.server.reserveSigningKey", new { did })).Ok().Json;
        var second = (await Xrpc.PostAsync("com.atproto.server.reserveSigningKey", new { did })).Ok().Json;
        Assert.Equal((string?)first["signingKey"], (string?)second["signingKey"]);
    }

    private async Task<JsonNode> PlcDataAsync(string did)
    {
        using var plc = new HttpClient();
        return JsonNode.Parse(await plc.GetStringAsync($"{server.PlcUrl.ToString().TrimEnd('/')}/{did}/data"))!;
    }

    internal static JsonObject Post(string text) => new() { ["text"] = text, ["createdAt"] = "2026-01-01T00:00:00.000Z" };
}

/// <summary>A PDS started with PDS_INVITE_REQUIRED.</summary>
public sealed class InviteOnlyServerFixture : PdsServerFixture
{
    protected override PdsConfig Configure(PdsConfig config) => config with { InviteRequired = true };
}

public class InviteTests(InviteOnlyServerFixture server) : IClassFixture<InviteOnlyServerFixture>
{
    [Fact]
    public async Task CreateAccount_NeedsAValidUnusedInvite()
    {
        var describe = (await server.Xrpc.GetAsync("com.atproto.server.describeServer")).Ok().Json;
        Assert.True((bool)describe["inviteCodeRequired"]!);

        var handle = server.NewHandle("inv");
        object Input(string? code) => new { handle, email = handle + "@example.com", password = "pw", inviteCode = code };
        (await server.Xrpc.PostAsync("com.atproto.server.createAccount", Input(null))).Fails(400, "InvalidInviteCode");
        (await server.Xrpc.PostAsync("com.atproto.server.createAccount", Input("localhost-aaaaa-bbbbb"))).Fails(400, "InvalidInviteCode");

        // Only the admin mints codes.
        (await server.Xrpc.PostAsync("com.atproto.server.createInviteCode", new { useCount = 1 })).Fails(401, "AuthenticationRequired");
        var code = (string)(await server.Xrpc.PostAsync("com.atproto.server.createInviteCode", new { useCount = 1 }, server.Admin)).Ok().Json["code"]!;

        var account = await server.CreateAccountAsync("inv", code);
        var info = (await server.Xrpc.GetAsync("com.atproto.admin.getAccountInfo", server.Admin, ("did", account.Did))).Ok().Json;
        Assert.Equal(code, (string?)info["invitedBy"]?["code"]);

        // Used up.
        var again = server.NewHandle("inv");
        (await server.Xrpc.PostAsync("com.atproto.server.createAccount", new { handle = again, email = again + "@example.com", password = "pw", inviteCode = code }))
            .Fails(400, "InvalidInviteCode");
    }

    [Fact]
    public async Task GetAccountInviteCodes_ListsTheAccountsOwnCodes()
    {
        var account = await server.CreateAccountAsync("owner", await AdminCodeAsync());
        var json = (await server.Xrpc.PostAsync("com.atproto.server.createInviteCodes",
            new { codeCount = 2, useCount = 1, forAccounts = new[] { account.Did } }, server.Admin)).Ok().Json;
        var codes = json["codes"]![0]!["codes"]!.AsArray().Select(c => (string)c!).ToList();
        Assert.Equal(account.Did, (string?)json["codes"]![0]!["account"]);

        var listed = (await server.Xrpc.GetAsync("com.atproto.server.getAccountInviteCodes", account.Bearer)).Ok().Json["codes"]!.AsArray();
        Assert.Equal(codes.Order(), listed.Select(c => (string)c!["code"]!).Order());
        Assert.All(listed, c => Assert.Equal(account.Did, (string?)c!["forAccount"]));

        await server.CreateAccountAsync("friend", codes[0]);
        var used = (await server.Xrpc.GetAsync("com.atproto.server.getAccountInviteCodes", account.Bearer)).Ok().Json["codes"]!.AsArray();
        Assert.Single(Assert.Single(used, c => (string?)c!["code"] == codes[0])!["uses"]!.AsArray());
        var unused = (await server.Xrpc.GetAsync("com.atproto.server.getAccountInviteCodes", account.Bearer, ("includeUsed", "false"))).Ok().Json["codes"]!.AsArray();
        Assert.Equal([codes[1]], unused.Select(c => (string)c!["code"]!));
        (await server.Xrpc.GetAsync("com.atproto.server.getAccountInviteCodes")).Fails(401, "AuthenticationRequired");
    }

    [Fact]
    public async Task SingleUseCode_UsedConcurrently_AdmitsOneAccount()
    {
        var code = await AdminCodeAsync();
        var handles = Enumerable.Range(0, 4).Select(_ => server.NewHandle("rush")).ToList();
        var attempts = await Task.WhenAll(handles.Select(handle =>
            server.Xrpc.PostAsync("com.atproto.server.createAccount", new { handle, email = handle + "@example.com", password = "pw", inviteCode = code })));
        Assert.Single(attempts, a => a.Code == 200);
        Assert.All(attempts.Where(a => a.Code != 200), a => a.Fails(400, "InvalidInviteCode"));
        // The refused signups left no account behind.
        for (var i = 0; i < handles.Count; i++)
        {
            var resolved = await server.Xrpc.GetAsync("com.atproto.identity.resolveHandle", ("handle", handles[i]));
            Assert.Equal(attempts[i].Code == 200 ? 200 : 400, resolved.Code);
        }
    }

    private async Task<string> AdminCodeAsync() =>
        (string)(await server.Xrpc.PostAsync("com.atproto.server.createInviteCode", new { useCount = 1 }, server.Admin)).Ok().Json["code"]!;

    [Fact]
    public async Task CreateInviteCodes_MintsPerAccountCodesThatWork()
    {
        var json = (await server.Xrpc.PostAsync("com.atproto.server.createInviteCodes", new { codeCount = 2, useCount = 1 }, server.Admin)).Ok().Json;
        var codes = json["codes"]![0]!["codes"]!.AsArray().Select(c => (string)c!).ToList();
        Assert.Equal(2, codes.Distinct().Count());
        foreach (var code in codes)
        {
            await server.CreateAccountAsync("many", code);
        }
    }
}
