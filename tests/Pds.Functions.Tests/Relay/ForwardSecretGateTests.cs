using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pds.Functions.Hosting;
using Pds.Functions.Relay;

namespace Pds.Functions.Tests.Relay;

/// <summary>The api process's gate: the secret is required except for the platform's own calls, and it unlocks the X-Forwarded-* view.</summary>
public sealed class ForwardSecretGateTests
{
    private const string Secret = "gate-test-secret-abcdefghijkl";

    [Theory]
    [InlineData(null)]
    [InlineData("gate-test-secret-abcdefghijkX")]
    [InlineData("gate-test-secret")]
    [InlineData("")]
    public async Task WithoutTheRightSecret_Is403(string? presented)
    {
        await using var gate = await GateAsync(LoopbackApp.Config(secret: Secret));
        var request = new HttpRequestMessage(HttpMethod.Get, "echo");
        if (presented is not null)
        {
            request.Headers.TryAddWithoutValidation(RelayForwarder.SecretHeader, presented);
        }

        var response = await gate.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Forbidden", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]);
    }

    [Fact]
    public async Task TheSecretTwice_Is403()
    {
        await using var gate = await GateAsync(LoopbackApp.Config(secret: Secret));
        var request = new HttpRequestMessage(HttpMethod.Get, "echo");
        request.Headers.TryAddWithoutValidation(RelayForwarder.SecretHeader, [Secret, Secret]);

        Assert.Equal(HttpStatusCode.Forbidden, (await gate.Http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task WithTheSecret_TakesHostSchemeAndClientFromTheRelay_AndHidesTheSecret()
    {
        await using var gate = await GateAsync(LoopbackApp.Config(secret: Secret));
        var request = new HttpRequestMessage(HttpMethod.Get, "echo");
        request.Headers.TryAddWithoutValidation(RelayForwarder.SecretHeader, Secret);
        // What proxies after the relay append must not win over the relay's own first value.
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.7, 10.1.2.3");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "alice.example.com");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");

        var response = await gate.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("203.0.113.7|alice.example.com|https|secret header: False", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("GET", "/", true)]
    [InlineData("HEAD", "/", true)]
    [InlineData("GET", "/xrpc/_health", true)]
    [InlineData("POST", "/", false)]
    [InlineData("GET", "/xrpc/com.atproto.server.describeServer", false)]
    [InlineData("GET", "/xrpc/com.atproto.sync.subscribeRepos", false)]
    [InlineData("POST", "/sequencer", false)]
    [InlineData("GET", "/.well-known/atproto-did", false)]
    public async Task PlatformProbes_PassWithoutTheSecret(string method, string path, bool open)
    {
        await using var gate = await GateAsync(LoopbackApp.Config(secret: Secret));

        var response = await gate.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path.TrimStart('/')));

        Assert.Equal(open ? HttpStatusCode.OK : HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task UnderTheFunctionsHost_QueueInvocationsPassWithoutTheSecret()
    {
        await using var gate = await GateAsync(LoopbackApp.Config(secret: Secret) with { FunctionsHostPort = 1 });

        Assert.Equal(HttpStatusCode.OK, (await gate.Http.PostAsync("sequencer", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await gate.Http.PostAsync("xrpc/com.atproto.server.createSession", null)).StatusCode);
    }

    private static async Task<Gate> GateAsync(PdsConfig config)
    {
        var gate = new ForwardSecretGate(config);
        var (app, url) = await LoopbackApp.StartAsync(app =>
        {
            app.Use((http, next) => gate.InvokeAsync(http, next));
            app.Run(http => http.Request.Path == "/echo"
                ? http.Response.WriteAsync($"{http.Connection.RemoteIpAddress}|{http.Request.Host}|{http.Request.Scheme}|secret header: {http.Request.Headers.ContainsKey(RelayForwarder.SecretHeader)}")
                : Task.CompletedTask);
        });
        return new Gate(app, new HttpClient { BaseAddress = url });
    }

    private sealed record Gate(WebApplication App, HttpClient Http) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await App.DisposeAsync();
        }
    }
}
