using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Pds.Functions.Hosting;

namespace Pds.Functions.Tests.Server;

public sealed class RateLimitedServerFixture : PdsServerFixture
{
    protected override PdsConfig Configure(PdsConfig config) => config with { RateLimitsEnabled = true };
}

public class RateLimitTests(RateLimitedServerFixture server) : IClassFixture<RateLimitedServerFixture>
{
    [Fact]
    public async Task CreateSession_OverBudget_Is429RateLimitExceeded()
    {
        HttpResponseMessage? last = null;
        for (var i = 0; i < 31; i++)
        {
            last = await server.Http.PostAsJsonAsync("xrpc/com.atproto.server.createSession", new { identifier = "nobody.test", password = "x" });
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, last!.StatusCode);
        Assert.Equal("RateLimitExceeded", (string?)JsonNode.Parse(await last.Content.ReadAsStringAsync())!["error"]);
        Assert.True(last.Headers.RetryAfter is not null);
        // Other methods keep their own (larger) budget.
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("xrpc/com.atproto.server.describeServer")).StatusCode);
    }
}
