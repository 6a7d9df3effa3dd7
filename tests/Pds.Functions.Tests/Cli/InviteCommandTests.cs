using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Pds.Functions.Tests.Server;

namespace Pds.Functions.Tests.OperatorCli;

public sealed class InviteCommandTests(PdsServerFixture server) : IClassFixture<PdsServerFixture>
{
    [Fact]
    public async Task Create_PrintsACodeThatAnInviteOnlyServerAccepts_Once()
    {
        await using var pds = await InviteOnlyPds.StartAsync(server.PlcUrl);
        using var http = new HttpClient { BaseAddress = pds.BaseUrl };

        var result = await AdminCli.RunAsync(pds.BaseUrl, pds.AdminPassword, "invite", "create");

        Assert.True(result.ExitCode == 0, result.ToString());
        var code = result.Out.Trim();
        Assert.DoesNotContain('\n', code);
        Assert.Equal(200, (int)(await CreateAccountAsync(http, code)).StatusCode);
        var second = await CreateAccountAsync(http, code);
        Assert.Equal("InvalidInviteCode", (string?)JsonNode.Parse(await second.Content.ReadAsStringAsync())?["error"]);
    }

    [Fact]
    public async Task Create_UsesAndJson_CodeWorksThatManyTimes()
    {
        await using var pds = await InviteOnlyPds.StartAsync(server.PlcUrl);
        using var http = new HttpClient { BaseAddress = pds.BaseUrl };

        var result = await AdminCli.RunAsync(pds.BaseUrl, pds.AdminPassword, "invite", "create", "--uses", "2", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var code = (string)JsonNode.Parse(result.Out)!["code"]!;
        Assert.True((await CreateAccountAsync(http, code)).IsSuccessStatusCode);
        Assert.True((await CreateAccountAsync(http, code)).IsSuccessStatusCode);
        Assert.False((await CreateAccountAsync(http, code)).IsSuccessStatusCode);
    }

    private static Task<HttpResponseMessage> CreateAccountAsync(HttpClient http, string inviteCode)
    {
        var handle = AdminCli.UniqueHandle("inv");
        return http.PostAsJsonAsync("xrpc/com.atproto.server.createAccount",
            new { handle, email = handle + "@example.com", password = "pw", inviteCode });
    }
}
