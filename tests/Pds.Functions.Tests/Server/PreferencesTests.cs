using System.Text.Json.Nodes;

namespace Pds.Functions.Tests.Server;

/// <summary>app.bsky.actor.getPreferences / putPreferences.</summary>
public class PreferencesTests(PdsServerFixture server) : IClassFixture<PdsServerFixture>
{
    private XrpcClient Xrpc => server.Xrpc;

    [Fact]
    public async Task PutThenGet_RoundTrips()
    {
        var account = await server.CreateAccountAsync("prefs");
        Assert.Empty((await Get(account)).Ok().Json["preferences"]!.AsArray());
        var prefs = new JsonArray(
            new JsonObject { ["$type"] = "app.bsky.actor.defs#adultContentPref", ["enabled"] = true },
            new JsonObject { ["$type"] = "app.bsky.actor.defs#savedFeedsPrefV2", ["items"] = new JsonArray(new JsonObject { ["type"] = "timeline", ["value"] = "following", ["pinned"] = true, ["id"] = "a" }) });
        (await Xrpc.PostAsync("app.bsky.actor.putPreferences", new JsonObject { ["preferences"] = prefs.DeepClone() }, account.Bearer)).Ok();
        var got = (await Get(account)).Ok().Json["preferences"]!;
        Assert.True(JsonNode.DeepEquals(prefs, got), got.ToJsonString());

        // Replaced, not merged; other accounts see their own.
        (await Xrpc.PostAsync("app.bsky.actor.putPreferences", new JsonObject { ["preferences"] = new JsonArray() }, account.Bearer)).Ok();
        Assert.Empty((await Get(account)).Ok().Json["preferences"]!.AsArray());
        var other = await server.CreateAccountAsync("prefs2");
        Assert.Empty((await Get(other)).Ok().Json["preferences"]!.AsArray());
    }

    [Fact]
    public async Task Put_RejectsOtherNamespacesAndBadShapes()
    {
        var account = await server.CreateAccountAsync("badprefs");
        var good = new JsonObject { ["$type"] = "app.bsky.actor.defs#adultContentPref", ["enabled"] = false };
        (await Xrpc.PostAsync("app.bsky.actor.putPreferences", new JsonObject { ["preferences"] = new JsonArray(good.DeepClone()) }, account.Bearer)).Ok();

        foreach (var bad in new JsonNode[]
        {
            new JsonObject { ["$type"] = "com.example.pref", ["x"] = 1 },
            new JsonObject { ["enabled"] = true },
            JsonValue.Create("app.bsky.actor.defs#adultContentPref")!,
        })
        {
            (await Xrpc.PostAsync("app.bsky.actor.putPreferences", new JsonObject { ["preferences"] = new JsonArray(good.DeepClone(), bad) }, account.Bearer))
                .Fails(400, "InvalidRequest");
        }
        (await Xrpc.PostAsync("app.bsky.actor.putPreferences", new JsonObject(), account.Bearer)).Fails(400, "InvalidRequest");
        var huge = new JsonObject { ["$type"] = "app.bsky.actor.defs#mutedWordsPref", ["items"] = new JsonArray(new JsonObject { ["value"] = new string('m', 600_000) }) };
        (await Xrpc.PostAsync("app.bsky.actor.putPreferences", new JsonObject { ["preferences"] = new JsonArray(huge) }, account.Bearer)).Fails(413, "PayloadTooLarge");
        (await Xrpc.PostAsync("app.bsky.actor.putPreferences", new JsonObject { ["preferences"] = new JsonArray() })).Fails(401, "AuthenticationRequired");
        (await Xrpc.GetAsync("app.bsky.actor.getPreferences")).Fails(401, "AuthenticationRequired");
        // Nothing of the refused writes landed.
        var stored = (await Get(account)).Ok().Json["preferences"]!;
        Assert.True(JsonNode.DeepEquals(new JsonArray(good.DeepClone()), stored), stored.ToJsonString());
    }

    [Fact]
    public async Task PersonalDetails_NeedAPrivilegedSession()
    {
        var account = await server.CreateAccountAsync("personal");
        var personal = new JsonObject { ["$type"] = "app.bsky.actor.defs#personalDetailsPref", ["birthDate"] = "1990-01-01T00:00:00.000Z" };
        (await Xrpc.PostAsync("app.bsky.actor.putPreferences", new JsonObject { ["preferences"] = new JsonArray(personal) }, account.Bearer)).Ok();
        var app = (await Xrpc.PostAsync("com.atproto.server.createAppPassword", new { name = "app" }, account.Bearer)).Ok().Json;
        var session = (await Xrpc.PostAsync("com.atproto.server.createSession", new { identifier = account.Did, password = (string)app["password"]! })).Ok().Json;
        var appAuth = XrpcClient.Bearer((string)session["accessJwt"]!);
        Assert.Empty((await Xrpc.GetAsync("app.bsky.actor.getPreferences", appAuth)).Ok().Json["preferences"]!.AsArray());
        (await Xrpc.PostAsync("app.bsky.actor.putPreferences", new JsonObject { ["preferences"] = new JsonArray(personal.DeepClone()) }, appAuth)).Fails(400, "InvalidRequest");
        Assert.Single((await Get(account)).Ok().Json["preferences"]!.AsArray());
    }

    private Task<XrpcResponse> Get(TestAccount account) => Xrpc.GetAsync("app.bsky.actor.getPreferences", account.Bearer);
}
