using System.Text.Json.Nodes;
using Pds.Functions.Tests.Server;

namespace Pds.Functions.Tests.OperatorCli;

public sealed class RequestCrawlCommandTests(PdsServerFixture server) : IClassFixture<PdsServerFixture>
{
    [Fact]
    public async Task RequestCrawl_SendsThePdsHostnameReportedByTheServer()
    {
        await using var relay = await StubServer.RelayAsync();

        var result = await CliRunner.RunAsync("request-crawl", relay.Url.ToString(), "--server", server.BaseUrl.ToString());

        Assert.True(result.ExitCode == 0, result.ToString());
        var body = Assert.Single(relay.Bodies);
        Assert.Equal("localhost", (string?)JsonNode.Parse(body)?["hostname"]);
        Assert.Contains($"{relay.Url}: ok", result.Out, StringComparison.Ordinal);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task RequestCrawl_OneRelayDown_ReportsEachAndExitsOne()
    {
        await using var relay = await StubServer.RelayAsync();
        var closed = AdminCli.ClosedUrl();

        var result = await CliRunner.RunAsync("request-crawl", relay.Url.ToString(), closed.ToString(), "--hostname", "pds.example.com");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("pds.example.com", (string?)JsonNode.Parse(Assert.Single(relay.Bodies))?["hostname"]);
        Assert.Contains($"{relay.Url}: ok", result.Out, StringComparison.Ordinal);
        Assert.Contains($"{closed}: cannot reach the relay at {closed}: ", result.Out, StringComparison.Ordinal);
        Assert.Equal("pds request-crawl: 1 of 2 relays refused or could not be reached", result.Error.Trim());
    }

    [Fact]
    public async Task RequestCrawl_RelayRefuses_ReportsItsXrpcErrorAsJson()
    {
        await using var relay = await StubServer.RelayAsync();

        var result = await CliRunner.RunAsync("request-crawl", relay.RefusingUrl.ToString(), "--hostname", "pds.example.com", "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        var json = JsonNode.Parse(result.Out)!;
        Assert.Equal("pds.example.com", (string?)json["hostname"]);
        var answer = Assert.Single(json["relays"]!.AsArray())!;
        Assert.False((bool)answer["ok"]!);
        Assert.Equal("error HostBanned: this host is not welcome", (string?)answer["error"]);
    }

    [Fact]
    public async Task RequestCrawl_PdsUnreachableForItsHostname_ExitsOne()
    {
        await using var relay = await StubServer.RelayAsync();
        var closed = AdminCli.ClosedUrl();

        var result = await CliRunner.RunAsync("request-crawl", relay.Url.ToString(), "--server", closed.ToString());

        CliRunner.AssertRejected(result);
        Assert.StartsWith($"pds request-crawl: cannot reach the PDS at {closed}: ", result.Error, StringComparison.Ordinal);
        Assert.Empty(relay.Bodies);
    }

    [Theory]
    [InlineData("request-crawl", "ftp://relay.example.com")]
    [InlineData("request-crawl", "http://")]
    public async Task RequestCrawl_BadRelay_IsAUsageError(params string[] args)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--help' for usage", result.Error, StringComparison.Ordinal);
    }
}
