using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pds.Functions.Tests.Server;
using Pds.TestSupport;

namespace Pds.Functions.Tests.Package;

/// <summary>The package on the embedded default (a local data directory).</summary>
[Collection(FunctionAppPackageCollection.Name)]
public sealed class PackagedHandlerSqliteTests(FunctionAppPackage package, PlcServerFixture plc)
    : PackagedHandlerTests(package, plc), IClassFixture<PlcServerFixture>;

/// <summary>The package as deployed: the Azure backend (here on Azurite), the sequencer run per queue invocation.</summary>
[Collection(FunctionAppPackageCollection.Name)]
public sealed class PackagedHandlerAzureTests(FunctionAppPackage package, PlcServerFixture plc, AzuriteFixture azurite)
    : PackagedHandlerTests(package, plc), IClassFixture<PlcServerFixture>, IClassFixture<AzuriteFixture>
{
    protected override IEnumerable<string> Settings =>
        ["PDS_STORAGE_BACKEND=azure", "AzureWebJobsStorage=" + azurite.ConnectionString, "PDS_STORAGE_PREFIX=pkg" + Guid.NewGuid().ToString("N")[..8]];
}

/// <summary>
/// The unzipped package's handler as a real process, spoken to the way the Functions host speaks
/// to it: forwarded HTTP requests and queue invocations (<c>POST /sequencer</c>, AZURE.md 1.5).
/// </summary>
public abstract class PackagedHandlerTests(FunctionAppPackage package, PlcServerFixture plc) : IAsyncLifetime
{
    private const string HostVersion = "4.1041.200.0";
    private PackagedHandler _handler = null!;

    /// <summary>App settings beyond the host's own.</summary>
    protected virtual IEnumerable<string> Settings => [];

    public async Task InitializeAsync() => _handler = await PackagedHandler.StartAsync(package, plc.Url, Settings);

    public async Task DisposeAsync() => await _handler.DisposeAsync();

    [Fact]
    public async Task ForwardedXrpc_HealthAndDescribeServer_Answer()
    {
        var health = await SendAsync(Forwarded(HttpMethod.Get, "xrpc/_health"));
        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.Equal(JsonValueKind.String, health.Json["version"]?.GetValueKind());

        var describe = await SendAsync(Forwarded(HttpMethod.Get, "xrpc/com.atproto.server.describeServer"));
        Assert.Equal(HttpStatusCode.OK, describe.Status);
        Assert.Equal("application/json", describe.MediaType);
        Assert.Equal("did:web:localhost", (string?)describe.Json["did"]);
        Assert.Equal(".test", (string?)describe.Json["availableUserDomains"]![0]);
    }

    [Fact]
    public async Task QueueInvocation_AfterAWrite_SequencesItAndAnswersInTheHostsFormat()
    {
        // A new account writes to the outbox (through the packaged SQLite and crypto, and the PLC directory).
        var handle = $"pkg{Guid.NewGuid().ToString("N")[..10]}.test";
        var created = await SendAsync(Forwarded(HttpMethod.Post, "xrpc/com.atproto.server.createAccount",
            new JsonObject { ["handle"] = handle, ["email"] = handle + "@example.com", ["password"] = PdsServerFixture.Password }));
        Assert.True(created.Status == HttpStatusCode.OK, $"createAccount: {created.Code} {created.Text}\n{_handler.Output}");
        var did = (string)created.Json["did"]!;
        Assert.StartsWith("did:plc:", did);

        var first = await InvokeAsync("sequencer", Trigger("queueTrigger", did), dequeueCount: 1);
        Assert.True(first.Status == HttpStatusCode.OK, $"sequencer: {first.Code} {first.Text}\n{_handler.Output}");
        AssertInvocationResult(first);
        Assert.StartsWith("sequenced ", (string?)first.Json["Logs"]![0]);

        // Queues deliver at least once: the same wake-up again finds nothing left.
        var again = await InvokeAsync("sequencer", Trigger("queueTrigger", did), dequeueCount: 2);
        AssertInvocationResult(again);
        Assert.Equal("nothing to sequence", (string?)again.Json["Logs"]![0]);
    }

    [Fact]
    public async Task QueueInvocation_WithoutTheTriggerValue_Is400_SoTheHostRetriesThenPoisons()
    {
        var request = HostRequest(HttpMethod.Post, "sequencer");
        request.Content = new StringContent("""{"Data":{},"Metadata":{}}""", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(request)).Status);
    }

    [Fact]
    public async Task EveryNonHttpFunction_AnswersItsInvocationInTheHostsFormat()
    {
        var functions = Directory.GetDirectories(package.Root).Where(d => File.Exists(Path.Combine(d, "function.json")));
        var invoked = 0;
        foreach (var folder in functions)
        {
            var bindings = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "function.json")))!["bindings"]!.AsArray();
            var trigger = bindings.Single(b => (string?)b!["direction"] == "in")!;
            var type = (string)trigger["type"]!;
            if (type == "httpTrigger")
            {
                continue;
            }
            var name = Path.GetFileName(folder);
            var response = await InvokeAsync(name, Trigger(type, "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa"), binding: (string)trigger["name"]!);
            Assert.True(response.Status == HttpStatusCode.OK, $"{name}: {response.Code} {response.Text}\n{_handler.Output}");
            AssertInvocationResult(response);
            invoked++;
        }
        Assert.NotEqual(0, invoked);
    }

    /// <summary>The host's invocation result: 2xx JSON with Outputs (no output bindings), Logs and a null ReturnValue.</summary>
    private static void AssertInvocationResult(XrpcResponse response)
    {
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/json", response.MediaType);
        var body = response.Json.AsObject();
        Assert.Empty(Assert.IsType<JsonObject>(body["Outputs"]));
        Assert.Single(Assert.IsType<JsonArray>(body["Logs"]));
        Assert.True(body.ContainsKey("ReturnValue"), "no ReturnValue");
        Assert.Null(body["ReturnValue"]);
    }

    /// <summary>
    /// The value the host puts in Data.{binding} for a trigger: a queue message's text (the host
    /// already took off the queue's base64) serialised as a JSON string once more; a timer's
    /// TimerInfo object. Other trigger types have no sample yet, so a new one fails here first.
    /// </summary>
    private static JsonNode Trigger(string type, string did) => type switch
    {
        "queueTrigger" => JsonSerializer.Serialize(new JsonObject { ["did"] = did }.ToJsonString()),
        "timerTrigger" => new JsonObject
        {
            ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
            ["ScheduleStatus"] = new JsonObject
            {
                ["Last"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O"),
                ["Next"] = DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"),
                ["LastUpdated"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O"),
            },
            ["IsPastDue"] = false,
        },
        _ => throw new InvalidOperationException($"no sample invocation for a {type}: add one to this test"),
    };

    /// <summary>A non-HTTP invocation as the host sends it: <c>POST /{function}</c> with Data and Metadata.</summary>
    private Task<XrpcResponse> InvokeAsync(string function, JsonNode trigger, int dequeueCount = 1, string binding = "item")
    {
        var now = DateTimeOffset.UtcNow;
        var invocation = new JsonObject
        {
            ["Data"] = new JsonObject { [binding] = trigger },
            ["Metadata"] = new JsonObject
            {
                ["DequeueCount"] = dequeueCount,
                ["ExpirationTime"] = now.AddDays(7).ToString("O"),
                ["Id"] = "800ae4b3-bdd2-4c08-badd-f08e5a34b865",
                ["InsertionTime"] = now.ToString("O"),
                ["NextVisibleTime"] = now.AddSeconds(10).ToString("O"),
                ["PopReceipt"] = "AgAAAAMAAAAAAAAAAgtnj8x+1QE=",
                ["sys"] = new JsonObject { ["MethodName"] = function, ["UtcNow"] = now.ToString("O"), ["RandGuid"] = Guid.NewGuid().ToString() },
            },
        };
        var request = HostRequest(HttpMethod.Post, function);
        request.Content = new StringContent(invocation.ToJsonString(), Encoding.UTF8, "application/json");
        return SendAsync(request);
    }

    /// <summary>A request the host makes itself: its invocation id, version and user agent.</summary>
    private static HttpRequestMessage HostRequest(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        request.Headers.Add("X-Azure-Functions-HostVersion", HostVersion);
        request.Headers.TryAddWithoutValidation("User-Agent", "Azure-Functions-Host/" + HostVersion);
        return request;
    }

    /// <summary>A client's request as the host forwards it: original headers (Host is the public name) plus the host's own.</summary>
    private static HttpRequestMessage Forwarded(HttpMethod method, string path, JsonNode? body = null)
    {
        var request = HostRequest(method, path);
        request.Headers.Host = "pds-func.azurewebsites.net";
        request.Headers.UserAgent.Clear();
        request.Headers.TryAddWithoutValidation("User-Agent", "atproto-client/1.0 Azure-Functions-Host/" + HostVersion);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        return request;
    }

    private async Task<XrpcResponse> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            var response = await _handler.Http.SendAsync(request);
            return new XrpcResponse(response, await response.Content.ReadAsByteArrayAsync());
        }
    }
}
