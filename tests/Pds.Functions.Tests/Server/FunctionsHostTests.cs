using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Pds.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Pds.Functions.Hosting;

namespace Pds.Functions.Tests.Server;

/// <summary>The PDS as an Azure Functions custom handler: api + sequencer roles, queue invocations instead of a loop.</summary>
public sealed class FunctionsHostFixture : PdsServerFixture
{
    protected override PdsConfig Configure(PdsConfig config) =>
        config with { FunctionsHostPort = config.Port, Roles = PdsRoles.Api | PdsRoles.Sequencer };
}

public class FunctionsHostTests(FunctionsHostFixture server) : IClassFixture<FunctionsHostFixture>
{
    /// <summary>A queue invocation exactly as the host sends it: the string payload JSON-encoded twice.</summary>
    private const string InvocationTemplate = """
        {"Data":{"item":"\"{\\\"did\\\":\\\"DID\\\"}\""},
         "Metadata":{"DequeueCount":1,"Id":"800ae4b3-bdd2-4c08-badd-f08e5a34b865","PopReceipt":"AgAAAAMAAAAAAAAAAgtnj8x+1QE=",
                     "sys":{"MethodName":"sequencer","UtcNow":"2026-11-22T02:04:43.22Z","RandGuid":"24ad4c06-0000-0000-0000-000000000000"}}}
        """;

    [Fact]
    public async Task QueueInvocation_SequencesPendingEvents_AndAnswersInTheHostsFormat()
    {
        var account = await server.CreateAccountAsync("func");
        var log = GetEventLog();
        Assert.NotEmpty(await log.GetPendingForAsync(account.Did, 10));

        var invocation = InvocationTemplate.Replace("DID", account.Did, StringComparison.Ordinal);
        var response = await PostInvocationAsync(invocation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.NotNull(body["Outputs"]);
        Assert.Contains("sequenced", (string?)body["Logs"]![0]);
        Assert.Empty(await log.GetPendingForAsync(account.Did, 10));
        var events = await log.ReadAsync(0, 100);
        Assert.Contains(events, e => e.Did == account.Did && e.Type == "#commit");

        // A second delivery of the same message (queues deliver at least once) changes nothing.
        var again = JsonNode.Parse(await (await PostInvocationAsync(invocation)).Content.ReadAsStringAsync())!;
        Assert.Equal("nothing to sequence", (string?)again["Logs"]![0]);
    }

    [Fact]
    public async Task SweepInvocation_LostWakeUp_SequencedByTheTimer()
    {
        var account = await server.CreateAccountAsync("sweep");
        var log = GetEventLog();
        Assert.NotEmpty(await log.GetPendingAsync(10));

        // No queue message for this account ever arrives; the five-minute timer finds its events.
        var response = await server.Http.PostAsync("sweep", new StringContent(
            """{"Data":{"timer":{"Schedule":{},"IsPastDue":false}},"Metadata":{}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("sequenced", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["Logs"]![0]);
        Assert.Empty(await log.GetPendingAsync(10));
        Assert.Contains(await log.ReadAsync(0, 1000), e => e.Did == account.Did && e.Type == "#commit");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"Data\":{}}")]
    public async Task QueueInvocation_Malformed_Is400SoTheHostRetriesThenPoisons(string body)
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await PostInvocationAsync(body)).StatusCode);
    }

    [Fact]
    public async Task ForwardedRequests_CommaJoinedArrays_AndNoRelay()
    {
        var account = await server.CreateAccountAsync("fwd");
        // The host rebuilds the query from a dictionary: ?dids=a&dids=b arrives as ?dids=a%2Cb.
        var request = new HttpRequestMessage(HttpMethod.Get, $"xrpc/com.atproto.admin.getAccountInfos?dids={Uri.EscapeDataString(account.Did + ",did:plc:nobodyhere")}");
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + server.Secrets.AdminPassword)));
        var infos = JsonNode.Parse(await (await server.Http.SendAsync(request)).Content.ReadAsStringAsync())!["infos"]!.AsArray();
        Assert.Single(infos);
        // Functions cannot hold WebSockets: subscribeRepos is the relay's, not this process's.
        var firehose = await server.Http.GetAsync("xrpc/com.atproto.sync.subscribeRepos");
        Assert.Equal(HttpStatusCode.NotImplemented, firehose.StatusCode);
    }

    private Task<HttpResponseMessage> PostInvocationAsync(string body) =>
        server.Http.PostAsync("sequencer", new StringContent(body, Encoding.UTF8, "application/json"));

    private IEventLog GetEventLog() => server.Services.GetRequiredService<IEventLog>();
}
