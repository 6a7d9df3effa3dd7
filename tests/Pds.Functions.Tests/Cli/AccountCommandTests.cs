using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Pds.Functions.Tests.Server;

namespace Pds.Functions.Tests.OperatorCli;

public sealed class AccountCommandTests(PdsServerFixture server) : IClassFixture<PdsServerFixture>
{
    [Fact]
    public async Task Create_WithoutPassword_PrintsDidAndAGeneratedPasswordThatLogsIn()
    {
        var handle = AdminCli.UniqueHandle("new");

        var result = await AdminCli.RunAsync(server, "account", "create", "--handle", handle, "--email", handle + "@example.com");

        Assert.True(result.ExitCode == 0, result.ToString());
        var did = AdminCli.Field(result, "did");
        Assert.StartsWith("did:plc:", did, StringComparison.Ordinal);
        Assert.Contains(handle, result.Out, StringComparison.Ordinal);
        var password = AdminCli.Field(result, "password");
        Assert.Null(await AdminCli.LoginErrorAsync(server.Http, handle, password));
        Assert.DoesNotContain(server.Secrets.AdminPassword, result.Out + result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_BareNameAndJson_UsesTheServerDomainAndPrintsNoPasswordItWasGiven()
    {
        var name = "bare" + Guid.NewGuid().ToString("N")[..8];

        var result = await AdminCli.RunAsync(server, "account", "create", "--handle", name, "--email", name + "@example.com",
            "--password", "given password", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = JsonNode.Parse(result.Out)!;
        Assert.Equal(name + ".test", (string?)json["handle"]);
        Assert.StartsWith("did:plc:", (string?)json["did"], StringComparison.Ordinal);
        Assert.Null(json["password"]);
        Assert.Null(await AdminCli.LoginErrorAsync(server.Http, name + ".test", "given password"));
    }

    [Fact]
    public async Task Create_TakenHandle_ReportsTheXrpcError()
    {
        var existing = await server.CreateAccountAsync("taken");

        var result = await AdminCli.RunAsync(server, "account", "create", "--handle", existing.Handle, "--email", "other@example.com");

        CliRunner.AssertRejected(result);
        Assert.StartsWith("pds account create: error ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_AfterCreate_ShowsHandleEmailDidAndStatus()
    {
        var handle = AdminCli.UniqueHandle("listed");
        var created = await AdminCli.RunAsync(server, "account", "create", "--handle", handle, "--email", handle + "@example.com");
        var did = AdminCli.Field(created, "did");

        var result = await AdminCli.RunAsync(server, "account", "list");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["HANDLE", "EMAIL", "DID", "STATUS"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var row = Assert.Single(lines, l => l.Contains(did, StringComparison.Ordinal));
        Assert.Equal([handle, handle + "@example.com", did, "active"], row.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task List_Json_ShowsTakenDownStatus()
    {
        var account = await server.CreateAccountAsync("listdown");
        Assert.Equal(0, (await AdminCli.RunAsync(server, "account", "takedown", account.Did)).ExitCode);

        var result = await AdminCli.RunAsync(server, "account", "list", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var entry = JsonNode.Parse(result.Out)!.AsArray().Single(a => (string?)a!["did"] == account.Did)!;
        Assert.Equal(account.Handle, (string?)entry["handle"]);
        Assert.Equal("takendown", (string?)entry["status"]);
    }

    [Fact]
    public async Task List_OnATerminal_DrawsATable()
    {
        var account = await server.CreateAccountAsync("table");

        var result = await CliRunner.RunAsync(outIsTerminal: true,
            "account", "list", "--server", server.BaseUrl.ToString(), "--admin-password", server.Secrets.AdminPassword);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Handle", result.Out, StringComparison.Ordinal);
        Assert.Contains("accounts", result.Out, StringComparison.Ordinal);
        Assert.Contains("─", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResetPassword_ByHandle_NewGeneratedPasswordLogsInAndTheOldOneNoLonger()
    {
        var account = await server.CreateAccountAsync("reset");

        var result = await AdminCli.RunAsync(server, "account", "reset-password", account.Handle);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(account.Did, result.Out, StringComparison.Ordinal);
        var password = AdminCli.Field(result, "password");
        Assert.Null(await AdminCli.LoginErrorAsync(server.Http, account.Handle, password));
        Assert.NotNull(await AdminCli.LoginErrorAsync(server.Http, account.Handle, account.Password));
    }

    [Fact]
    public async Task ResetPassword_GivenPassword_IsNotPrinted()
    {
        var account = await server.CreateAccountAsync("resetgiven");

        var result = await AdminCli.RunAsync(server, "account", "reset-password", account.Did, "--password", "a chosen one");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("a chosen one", result.Out, StringComparison.Ordinal);
        Assert.Null(await AdminCli.LoginErrorAsync(server.Http, account.Did, "a chosen one"));
    }

    [Fact]
    public async Task ResetPassword_UnknownHandle_ReportsHandleNotFound()
    {
        var result = await AdminCli.RunAsync(server, "account", "reset-password", "nobody-here.test");

        CliRunner.AssertRejected(result);
        Assert.StartsWith("pds account reset-password: error HandleNotFound: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Takedown_BlocksLogin_AndReverseRestoresIt()
    {
        var account = await server.CreateAccountAsync("down");

        var down = await AdminCli.RunAsync(server, "account", "takedown", account.Handle);

        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Equal($"took down {account.Did}\n", down.Out);
        Assert.Equal("AccountTakedown", await AdminCli.LoginErrorAsync(server.Http, account.Handle, account.Password));

        var up = await AdminCli.RunAsync(server, "account", "takedown", account.Did, "--reverse");

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal($"restored {account.Did}\n", up.Out);
        Assert.Null(await AdminCli.LoginErrorAsync(server.Http, account.Handle, account.Password));
    }

    [Fact]
    public async Task Delete_WithYes_RemovesTheAccount()
    {
        var account = await server.CreateAccountAsync("gone");

        var result = await AdminCli.RunAsync(server, "account", "delete", account.Handle, "--yes");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"deleted {account.Did}\n", result.Out);
        Assert.NotNull(await AdminCli.LoginErrorAsync(server.Http, account.Did, account.Password));
        var list = await AdminCli.RunAsync(server, "account", "list");
        Assert.DoesNotContain(account.Did, list.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_WithoutYes_RefusesWithUsageExitAndKeepsTheAccount()
    {
        var account = await server.CreateAccountAsync("kept");

        var result = await AdminCli.RunAsync(server, "account", "delete", account.Did);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--yes", result.Error, StringComparison.Ordinal);
        Assert.Null(await AdminCli.LoginErrorAsync(server.Http, account.Did, account.Password));
    }

    [Theory]
    [InlineData("account", "list")]
    [InlineData("account", "takedown", "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("invite", "create")]
    public async Task WrongAdminPassword_ExitsOneSayingItWasRejected(params string[] args)
    {
        var result = await AdminCli.RunAsync(server.BaseUrl, "not the password", args);

        CliRunner.AssertRejected(result);
        Assert.EndsWith(": the admin password was rejected", result.Error.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("not the password", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_InviteOnlyServer_WrongAdminPassword_IsRejectedBeforeAnAccountExists()
    {
        await using var inviteOnly = await InviteOnlyPds.StartAsync(server.PlcUrl);
        var handle = AdminCli.UniqueHandle("noinvite");

        var result = await AdminCli.RunAsync(inviteOnly.BaseUrl, "wrong", "account", "create", "--handle", handle, "--email", handle + "@example.com");

        CliRunner.AssertRejected(result);
        Assert.Equal("pds account create: the admin password was rejected", result.Error.Trim());
    }

    [Fact]
    public async Task Create_InviteOnlyServer_MintsAnInviteFirst()
    {
        await using var inviteOnly = await InviteOnlyPds.StartAsync(server.PlcUrl);
        var handle = AdminCli.UniqueHandle("invited");

        var result = await AdminCli.RunAsync(inviteOnly.BaseUrl, inviteOnly.AdminPassword,
            "account", "create", "--handle", handle, "--email", handle + "@example.com", "--password", "pw");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var http = new HttpClient { BaseAddress = inviteOnly.BaseUrl };
        Assert.Null(await AdminCli.LoginErrorAsync(http, handle, "pw"));
    }

    [Theory]
    [InlineData("account", "create", "--email", "a@example.com")]
    [InlineData("account", "create", "--handle", "a.test")]
    [InlineData("account", "reset-password")]
    [InlineData("account", "takedown")]
    [InlineData("account", "takedown", "a.test", "b.test")]
    [InlineData("account", "delete")]
    [InlineData("account", "frobnicate")]
    [InlineData("account")]
    [InlineData("invite")]
    [InlineData("invite", "create", "--uses", "0")]
    [InlineData("invite", "create", "--uses", "many")]
    [InlineData("account", "list", "--server", "ftp://example.com")]
    [InlineData("account", "list", "--server")]
    public async Task UsageErrors_ExitTwoWithAHint(params string[] args)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("", result.Out);
        Assert.Contains("--help' for usage", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsTheOperatorCommands()
    {
        var result = await CliRunner.RunAsync("account", "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "create", "list", "reset-password", "takedown", "delete" })
        {
            Assert.Contains(command, result.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Help_ShowsTheCommonOptions()
    {
        var result = await CliRunner.RunAsync("account", "takedown", "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "<ACCOUNT>", "--reverse", "--server", "--admin-password", "--json" })
        {
            Assert.Contains(option, result.Out, StringComparison.Ordinal);
        }
    }
}
