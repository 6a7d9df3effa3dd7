using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Pds.Azure.Storage;
using Pds.Functions.Hosting;
using Xunit.Abstractions;

namespace Pds.Functions.Tests.AzureMode;

/// <summary>The api role alone (no sequencer polling the queue), so the shared counter sees only the request's own round trips.</summary>
public sealed class AzureApiOnlyFixture : AzurePdsServerFixture
{
    protected override PdsConfig Configure(PdsConfig config) => base.Configure(config) with { Roles = PdsRoles.Api };
}

/// <summary>
/// Storage round trips per XRPC operation on the Azure backend, counted by the storage pipeline
/// (retries included), warm (after one call of each kind). Printed for the record; the budget of
/// the write path is asserted because it is a count, not a timing.
/// </summary>
public sealed class AzureRoundTripTests(AzureApiOnlyFixture server, ITestOutputHelper output) : IClassFixture<AzureApiOnlyFixture>
{
    [Fact]
    public async Task RoundTrips_PerOperation_WithinBudget()
    {
        var counter = server.Services.GetRequiredService<StorageRequestCounter>();
        var account = await server.CreateAccountAsync("rt");
        var record = new JsonObject { ["$type"] = "app.bsky.feed.post", ["text"] = "hello", ["createdAt"] = "2026-11-22T00:00:00.000Z" };
        var results = new List<(string Operation, long Trips)>();

        async Task MeasureAsync(string name, Func<Task> operation)
        {
            await operation();
            counter.Reset();
            await operation();
            results.Add((name, counter.Reset()));
        }

        string? rkey = null;
        await MeasureAsync("createRecord", async () =>
        {
            var created = await server.CreateRecordAsync(account, "app.bsky.feed.post", (JsonObject)record.DeepClone());
            rkey = created.Json!["uri"]!.ToString().Split('/')[^1];
        });
        await MeasureAsync("getRecord", () => server.Http.GetStringAsync(
            $"xrpc/com.atproto.repo.getRecord?repo={account.Did}&collection=app.bsky.feed.post&rkey={rkey}"));
        await MeasureAsync("listRecords", () => server.Http.GetStringAsync(
            $"xrpc/com.atproto.repo.listRecords?repo={account.Did}&collection=app.bsky.feed.post&limit=50"));
        await MeasureAsync("getRepo", () => server.Http.GetByteArrayAsync($"xrpc/com.atproto.sync.getRepo?did={account.Did}"));
        await MeasureAsync("uploadBlob (1 KiB)", async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "xrpc/com.atproto.repo.uploadBlob")
            {
                Content = new ByteArrayContent(new byte[1024]) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } },
            };
            request.Headers.Authorization = account.Bearer;
            (await server.Http.SendAsync(request)).EnsureSuccessStatusCode();
        });

        foreach (var (operation, trips) in results)
        {
            output.WriteLine($"{operation,-20} {trips} storage round trips");
        }
        Assert.True(results[0].Trips <= 3, $"createRecord took {results[0].Trips} storage round trips; the budget is 3");
    }
}
