using System.Net.Http.Headers;
using System.Text;
using Pds.Core.DataModel;

namespace Pds.Functions.Tests.Server;

/// <summary>com.atproto.admin.* under HTTP Basic admin:&lt;admin password&gt;.</summary>
public class AdminTests(PdsServerFixture server) : IClassFixture<PdsServerFixture>
{
    private XrpcClient Xrpc => server.Xrpc;

    [Fact]
    public async Task AdminAuth_WrongOrMissing_Is401()
    {
        var account = await server.CreateAccountAsync("adminauth");
        var wrong = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:wrong")));
        var wrongUser = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("root:" + server.Secrets.AdminPassword)));
        var garbage = new AuthenticationHeaderValue("Basic", "%%%");
        foreach (var auth in new AuthenticationHeaderValue?[] { null, wrong, wrongUser, garbage, account.Bearer })
        {
            (await Xrpc.GetAsync("com.atproto.admin.getAccountInfo", auth, ("did", account.Did))).Fails(401, "AuthenticationRequired");
            (await Xrpc.PostAsync("com.atproto.admin.deleteAccount", new { did = account.Did }, auth)).Fails(401, "AuthenticationRequired");
        }
        (await Xrpc.GetAsync("com.atproto.sync.getLatestCommit", ("did", account.Did))).Ok();
    }

    [Fact]
    public async Task GetAccountInfo_AndInfos()
    {
        var a = await server.CreateAccountAsync("infoa");
        var b = await server.CreateAccountAsync("infob");
        var info = (await Xrpc.GetAsync("com.atproto.admin.getAccountInfo", server.Admin, ("did", a.Did))).Ok().Json;
        Assert.Equal(a.Did, (string?)info["did"]);
        Assert.Equal(a.Handle, (string?)info["handle"]);
        Assert.Equal(a.Handle + "@example.com", (string?)info["email"]);
        Assert.NotNull(info["indexedAt"]);

        var infos = (await Xrpc.GetAsync("com.atproto.admin.getAccountInfos", server.Admin,
            ("dids", a.Did), ("dids", b.Did), ("dids", "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa"))).Ok().Json["infos"]!.AsArray();
        Assert.Equal(new[] { a.Did, b.Did }.Order(StringComparer.Ordinal), infos.Select(i => (string)i!["did"]!).Order(StringComparer.Ordinal));

        (await Xrpc.GetAsync("com.atproto.admin.getAccountInfo", server.Admin, ("did", "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa"))).Fails(400, "NotFound");
        (await Xrpc.GetAsync("com.atproto.admin.getAccountInfos", server.Admin)).Fails(400, "InvalidRequest");
    }

    [Fact]
    public async Task Takedown_BlocksLoginAndSyncAndIsReversible()
    {
        var account = await server.CreateAccountAsync("takedown");
        await server.PostAsync(account, "before");
        using var firehose = await server.SubscribeAsync();

        var result = (await server.TakedownAsync(account.Did, true)).Ok().Json;
        Assert.Equal(account.Did, (string?)result["subject"]!["did"]);
        Assert.True((bool)result["takedown"]!["applied"]!);

        var evt = await firehose.NextForAsync(account.Did, "#account");
        Assert.Equal(DataValue.False, evt.Body["active"]);
        Assert.Equal("takendown", evt.Str("status"));

        (await Login(account)).Fails(401, "AccountTakedown");
        (await Xrpc.PostAsync("com.atproto.server.refreshSession", null, account.RefreshBearer)).Fails(400, "ExpiredToken");
        (await Xrpc.GetAsync("com.atproto.sync.getLatestCommit", ("did", account.Did))).Fails(400, "RepoTakendown");
        // The session issued before the takedown can no longer write.
        (await server.CreateRecordAsync(account, "app.bsky.feed.post", AccountTests.Post("during"))).Fails(401, "AccountTakedown");
        (await Xrpc.PostAsync("com.atproto.repo.applyWrites",
            new { repo = account.Did, writes = new[] { RepoMethodsTests.CreateWrite("3aaaaaaaaaaa2") } }, account.Bearer)).Fails(401, "AccountTakedown");
        (await Xrpc.PostAsync("com.atproto.repo.uploadBlob", new ByteArrayContent(BlobTests.Png(100)), account.Bearer)).Fails(401, "AccountTakedown");
        // The account cannot undo it itself.
        (await Xrpc.PostAsync("com.atproto.server.activateAccount", null, account.Bearer)).Ok();
        (await Xrpc.GetAsync("com.atproto.sync.getLatestCommit", ("did", account.Did))).Fails(400, "RepoTakendown");
        var subject = (await Xrpc.GetAsync("com.atproto.admin.getSubjectStatus", server.Admin, ("did", account.Did))).Ok().Json;
        Assert.True((bool)subject["takedown"]!["applied"]!);
        Assert.Equal(account.Did, (string?)subject["subject"]!["did"]);

        (await server.TakedownAsync(account.Did, false)).Ok();
        var restored = await firehose.NextForAsync(account.Did, "#account");
        Assert.Equal(DataValue.True, restored.Body["active"]);
        Assert.Null(restored.Body["status"]);
        Assert.Equal("#sync", (await firehose.NextForAsync(account.Did)).Type);

        var session = (await Login(account)).Ok().Json;
        (await Xrpc.GetAsync("com.atproto.sync.getLatestCommit", ("did", account.Did))).Ok();
        (await server.CreateRecordAsync(account, "app.bsky.feed.post", AccountTests.Post("after"))).Ok();
        Assert.True((bool)session["active"]!);
        var lifted = (await Xrpc.GetAsync("com.atproto.admin.getSubjectStatus", server.Admin, ("did", account.Did))).Ok().Json;
        Assert.False((bool)lifted["takedown"]!["applied"]!);
        Assert.False((bool)lifted["deactivated"]!["applied"]!);

        (await Xrpc.GetAsync("com.atproto.admin.getSubjectStatus", server.Admin, ("did", "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa"))).Fails(400, "NotFound");
        (await Xrpc.GetAsync("com.atproto.admin.getSubjectStatus", server.Admin)).Fails(400, "InvalidRequest");
        (await Xrpc.PostAsync("com.atproto.admin.updateSubjectStatus", new { subject = new { uri = "at://x" } }, server.Admin)).Fails(400, "InvalidRequest");
    }

    /// <summary>
    /// Takedown and deactivation are independent: lifting the takedown of an account its holder
    /// had deactivated leaves it deactivated (#account inactive, no #sync), and the holder's own
    /// activateAccount meanwhile lifts neither.
    /// </summary>
    [Fact]
    public async Task Takedown_OfDeactivatedAccount_LiftedLeavesItDeactivated()
    {
        var account = await server.CreateAccountAsync("deacttd");
        using var firehose = await server.SubscribeAsync();
        (await Xrpc.PostAsync("com.atproto.server.deactivateAccount", new { }, account.Bearer)).Ok();
        Assert.Equal("deactivated", (await firehose.NextForAsync(account.Did, "#account")).Str("status"));

        (await server.TakedownAsync(account.Did, true)).Ok();
        var down = await firehose.NextForAsync(account.Did);
        Assert.Equal(("#account", "takendown"), (down.Type, down.Str("status")));
        var subject = (await Xrpc.GetAsync("com.atproto.admin.getSubjectStatus", server.Admin, ("did", account.Did))).Ok().Json;
        Assert.True((bool)subject["takedown"]!["applied"]!);
        Assert.True((bool)subject["deactivated"]!["applied"]!);
        Assert.NotNull((await Xrpc.GetAsync("com.atproto.admin.getAccountInfo", server.Admin, ("did", account.Did))).Ok().Json["deactivatedAt"]);
        // The holder (with the session from before) cannot lift the takedown.
        (await Xrpc.PostAsync("com.atproto.server.activateAccount", null, account.Bearer)).Ok();
        (await Xrpc.GetAsync("com.atproto.sync.getLatestCommit", ("did", account.Did))).Fails(400, "RepoTakendown");

        (await server.TakedownAsync(account.Did, false)).Ok();
        var restored = await firehose.NextForAsync(account.Did);
        Assert.Equal("#account", restored.Type);
        Assert.Equal(DataValue.False, restored.Body["active"]);
        Assert.Equal("deactivated", restored.Str("status"));
        (await Xrpc.GetAsync("com.atproto.sync.getLatestCommit", ("did", account.Did))).Fails(400, "RepoDeactivated");
        var status = (await Xrpc.GetAsync("com.atproto.sync.getRepoStatus", ("did", account.Did))).Ok().Json;
        Assert.Equal((false, "deactivated"), ((bool)status["active"]!, (string?)status["status"]));
        var session = (await Login(account)).Ok().Json;
        Assert.Equal((false, "deactivated"), ((bool)session["active"]!, (string?)session["status"]));
        subject = (await Xrpc.GetAsync("com.atproto.admin.getSubjectStatus", server.Admin, ("did", account.Did))).Ok().Json;
        Assert.False((bool)subject["takedown"]!["applied"]!);
        Assert.True((bool)subject["deactivated"]!["applied"]!);

        // Now the holder reactivates: the next events about the account are #account active and
        // #sync, so lifting the takedown emitted no #sync of its own.
        (await Xrpc.PostAsync("com.atproto.server.activateAccount", null, account.Bearer)).Ok();
        var activated = await firehose.NextForAsync(account.Did);
        Assert.Equal(("#account", DataValue.True), (activated.Type, activated.Body["active"]));
        Assert.Equal("#sync", (await firehose.NextForAsync(account.Did)).Type);
        (await server.CreateRecordAsync(account, "app.bsky.feed.post", AccountTests.Post("back"))).Ok();
    }

    /// <summary>As in the reference PDS, a taken-down account may still deactivate: it stays taken down, and the deactivation outlives the takedown.</summary>
    [Fact]
    public async Task DeactivateWhileTakenDown_LiftingTheTakedownLeavesItDeactivated()
    {
        var account = await server.CreateAccountAsync("tddeact");
        using var firehose = await server.SubscribeAsync();
        (await server.TakedownAsync(account.Did, true)).Ok();
        Assert.Equal("takendown", (await firehose.NextForAsync(account.Did, "#account")).Str("status"));

        (await Xrpc.PostAsync("com.atproto.server.deactivateAccount", new { }, account.Bearer)).Ok();
        (await Xrpc.GetAsync("com.atproto.sync.getLatestCommit", ("did", account.Did))).Fails(400, "RepoTakendown");

        (await server.TakedownAsync(account.Did, false)).Ok();
        // The status only changed once: from takendown to deactivated, with no #account in between.
        var restored = await firehose.NextForAsync(account.Did);
        Assert.Equal(("#account", DataValue.False, "deactivated"), (restored.Type, restored.Body["active"], restored.Str("status")));
        (await Xrpc.GetAsync("com.atproto.sync.getLatestCommit", ("did", account.Did))).Fails(400, "RepoDeactivated");
    }

    [Fact]
    public async Task UpdateAccountPassword_EndsSessionsAndSwitchesPasswords()
    {
        var account = await server.CreateAccountAsync("newpass");
        var second = (await Login(account)).Ok().Json;
        (await Xrpc.PostAsync("com.atproto.admin.updateAccountPassword", new { did = account.Did, password = "brand new secret" }, server.Admin)).Ok();

        (await Xrpc.PostAsync("com.atproto.server.refreshSession", null, account.RefreshBearer)).Fails(400, "ExpiredToken");
        (await Xrpc.PostAsync("com.atproto.server.refreshSession", null, XrpcClient.Bearer((string)second["refreshJwt"]!))).Fails(400, "ExpiredToken");
        (await Login(account)).Fails(401, "AuthenticationRequired");
        (await Xrpc.PostAsync("com.atproto.server.createSession", new { identifier = account.Handle, password = "brand new secret" })).Ok();

        (await Xrpc.PostAsync("com.atproto.admin.updateAccountPassword", new { did = "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa", password = "x" }, server.Admin)).Fails(400, "NotFound");
        (await Xrpc.PostAsync("com.atproto.admin.updateAccountPassword", new { did = account.Did }, server.Admin)).Fails(400, "InvalidRequest");
    }

    [Fact]
    public async Task DeleteAccount_RemovesRepoAndAnnouncesDeleted()
    {
        var account = await server.CreateAccountAsync("delete");
        await server.PostAsync(account, "going away");
        using var firehose = await server.SubscribeAsync();
        (await Xrpc.PostAsync("com.atproto.admin.deleteAccount", new { did = account.Did }, server.Admin)).Ok();

        var evt = await firehose.NextForAsync(account.Did, "#account");
        Assert.Equal(DataValue.False, evt.Body["active"]);
        Assert.Equal("deleted", evt.Str("status"));

        (await Xrpc.GetAsync("com.atproto.sync.getLatestCommit", ("did", account.Did))).Fails(400, "RepoNotFound");
        (await Xrpc.GetAsync("com.atproto.sync.getRepo", ("did", account.Did))).Fails(400, "RepoNotFound");
        (await Xrpc.GetAsync("com.atproto.sync.getRepoStatus", ("did", account.Did))).Fails(400, "RepoNotFound");
        (await Xrpc.GetAsync("com.atproto.repo.describeRepo", ("repo", account.Did))).Fails(400, "RepoNotFound");
        (await Xrpc.GetAsync("com.atproto.identity.resolveHandle", ("handle", account.Handle))).Fails(400, "HandleNotFound");
        (await Xrpc.GetAsync("com.atproto.admin.getAccountInfo", server.Admin, ("did", account.Did))).Fails(400, "NotFound");
        (await Login(account)).Fails(401, "AuthenticationRequired");
        (await Xrpc.PostAsync("com.atproto.server.refreshSession", null, account.RefreshBearer)).Fails(400, "ExpiredToken");
        (await server.CreateRecordAsync(account, "app.bsky.feed.post", AccountTests.Post("ghost"))).Fails(403, "AccountNotFound");
        var repos = (await Xrpc.GetAsync("com.atproto.sync.listRepos", ("limit", "1000"))).Ok().Json["repos"]!.AsArray();
        Assert.DoesNotContain(repos, r => (string?)r!["did"] == account.Did);
        (await Xrpc.PostAsync("com.atproto.admin.deleteAccount", new { did = account.Did }, server.Admin)).Fails(400, "NotFound");

        // The handle can be taken again.
        var reuse = await Xrpc.PostAsync("com.atproto.server.createAccount",
            new { handle = account.Handle, email = "again-" + account.Handle + "@example.com", password = "pw" });
        reuse.Ok();
    }

    private Task<XrpcResponse> Login(TestAccount account) =>
        Xrpc.PostAsync("com.atproto.server.createSession", new { identifier = account.Handle, password = account.Password });
}
