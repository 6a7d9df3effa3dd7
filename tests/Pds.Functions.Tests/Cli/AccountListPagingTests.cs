using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Tests.OperatorCli;

/// <summary><c>pds account list</c> against a stub PDS with more repositories than fit in one page or one info batch.</summary>
public sealed class AccountListPagingTests
{
    private const string Password = "stub-admin";

    [Fact]
    public async Task List_FollowsCursorsAndBatchesInfoLookups()
    {
        var dids = Enumerable.Range(0, 150).Select(i => $"did:plc:stub{i:D3}").ToList();
        await using var pds = await StubServer.StartAsync((app, log) =>
        {
            app.MapGet("/xrpc/com.atproto.sync.listRepos", (HttpContext http) =>
            {
                var cursor = http.Request.Query["cursor"].ToString();
                log.Enqueue($"listRepos cursor={cursor} limit={http.Request.Query["limit"]}");
                var page = cursor == "" ? dids[..120] : dids[120..];
                var repos = new JsonArray([.. page.Select(d => (JsonNode)new JsonObject { ["did"] = d, ["active"] = true, ["head"] = "x", ["rev"] = "y" })]);
                var answer = new JsonObject { ["repos"] = repos };
                if (cursor == "")
                {
                    answer["cursor"] = page[^1];
                }
                return Results.Text(answer.ToJsonString(), "application/json");
            });
            app.MapGet("/xrpc/com.atproto.admin.getAccountInfos", (HttpContext http) =>
            {
                if (!AdminAuth.IsAdmin(http.Request.Headers.Authorization.ToString(), Password))
                {
                    return Results.Json(new { error = "AuthenticationRequired", message = "no" }, statusCode: 401);
                }
                var asked = http.Request.Query["dids"].Select(d => d!).ToList();
                log.Enqueue($"getAccountInfos {asked.Count}");
                var infos = new JsonArray([.. asked.Select(d => (JsonNode)new JsonObject
                {
                    ["did"] = d,
                    ["handle"] = d[8..] + ".test",
                    ["email"] = d[8..] + "@example.com",
                })]);
                return Results.Text(new JsonObject { ["infos"] = infos }.ToJsonString(), "application/json");
            });
        });

        var result = await AdminCli.RunAsync(pds.Url, Password, "account", "list", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            ["listRepos cursor= limit=500", "listRepos cursor=did:plc:stub119 limit=500", "getAccountInfos 100", "getAccountInfos 50"],
            pds.Bodies);
        var rows = JsonNode.Parse(result.Out)!.AsArray();
        Assert.Equal(dids, rows.Select(r => (string)r!["did"]!));
        Assert.All(rows, r => Assert.Equal(((string)r!["did"]!)[8..] + ".test", (string?)r["handle"]));
    }
}
