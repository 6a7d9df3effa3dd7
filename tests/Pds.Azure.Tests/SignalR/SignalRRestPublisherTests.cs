using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pds.Azure.SignalR;
using Pds.Azure.Tests.KeyVault;

namespace Pds.Azure.Tests.SignalR;

public sealed class SignalRRestPublisherTests : IAsyncLifetime
{
    private const string Key = "Zm9vYmFyLWFjY2Vzcy1rZXktZm9yLXRlc3Rz";

    private readonly ConcurrentQueue<(string Method, string Path, string Query, string Authorization, string ContentType, string Body)> _requests = new();
    private readonly ConcurrentQueue<int> _statuses = new();
    private WebApplication _app = null!;
    private Uri _baseUri = null!;

    public async Task InitializeAsync() => (_app, _baseUri) = await StartRecorderAsync(https: false);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task SendToAllAsync_PostsTargetAndArgumentsWithAccessKeyJwt()
    {
        var now = DateTimeOffset.UtcNow;
        var publisher = Publisher();

        await publisher.SendToAllAsync("firehose", "seq", [1234]);

        var request = Assert.Single(_requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/hubs/firehose/:send", request.Path);
        Assert.Equal("?api-version=2022-06-01", request.Query);
        Assert.StartsWith("application/json", request.ContentType);
        Assert.Equal("""{"target":"seq","arguments":[1234]}""", request.Body);
        Assert.StartsWith("Bearer ", request.Authorization);
        var (header, payload) = SignalRAccessTokenTests.VerifyHs256(request.Authorization["Bearer ".Length..], Encoding.UTF8.GetBytes(Key));
        Assert.Equal("HS256", header.GetProperty("alg").GetString());
        var audience = new Uri(_baseUri, "/api/hubs/firehose/:send").ToString();
        Assert.Equal(audience, payload.GetProperty("aud").GetString());
        var exp = DateTimeOffset.FromUnixTimeSeconds(payload.GetProperty("exp").GetInt64());
        Assert.InRange(exp, now.AddMinutes(5).AddSeconds(-5), DateTimeOffset.UtcNow.AddMinutes(5).AddSeconds(5));
    }

    [Fact]
    public async Task SendToGroupAsync_UsesGroupPath()
    {
        await Publisher().SendToGroupAsync("Firehose", "relays", "seq", [1, "did:plc:abc"]);

        var request = Assert.Single(_requests);
        Assert.Equal("/api/hubs/firehose/groups/relays/:send", request.Path);
        Assert.Equal("""{"target":"seq","arguments":[1,"did:plc:abc"]}""", request.Body);
    }

    [Fact]
    public async Task SendToAllAsync_ArgumentsArrayStaysUsable()
    {
        var arguments = new JsonArray(7);
        var publisher = Publisher();

        await publisher.SendToAllAsync("firehose", "seq", arguments);
        await publisher.SendToAllAsync("firehose", "seq", arguments);

        Assert.Equal(2, _requests.Count);
    }

    [Fact]
    public async Task SendToAllAsync_OverOneMegabyte_RefusedBeforeSending()
    {
        var big = new JsonArray(new string('a', SignalRRestPublisher.MaxBodyBytes));

        await Assert.ThrowsAsync<ArgumentException>(() => Publisher().SendToAllAsync("firehose", "seq", big));
        Assert.Empty(_requests);
    }

    [Fact]
    public async Task SendToAllAsync_JustUnderOneMegabyte_Sent()
    {
        var overhead = """{"target":"seq","arguments":[""]}""".Length;
        var fits = new JsonArray(new string('a', SignalRRestPublisher.MaxBodyBytes - overhead));

        await Publisher().SendToAllAsync("firehose", "seq", fits);

        Assert.Equal(SignalRRestPublisher.MaxBodyBytes, Assert.Single(_requests).Body.Length);
    }

    [Fact]
    public async Task SendToAllAsync_ServerError_RetriedWithFreshToken()
    {
        _statuses.Enqueue(503);

        await Publisher().SendToAllAsync("firehose", "seq", [1]);

        Assert.Equal(2, _requests.Count);
        Assert.All(_requests, r => Assert.StartsWith("Bearer ", r.Authorization));
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(200)]
    public async Task SendToAllAsync_Not202_ThrowsSignalRExceptionWithoutKey(int status)
    {
        _statuses.Enqueue(status);

        var error = await Assert.ThrowsAsync<SignalRException>(() => Publisher().SendToAllAsync("firehose", "seq", [1]));

        Assert.Equal(status, error.Status);
        Assert.DoesNotContain(Key, error.ToString());
        Assert.Single(_requests);
    }

    [Fact]
    public async Task IdentityConnectionString_UsesEntraTokenForSignalRScope()
    {
        var (app, baseUri) = await StartRecorderAsync(https: true);
        await using var _ = app;
        var credential = new FixedTokenCredential("entra-token");
        var cs = SignalRConnectionString.Parse($"Endpoint={baseUri};AuthType=azure.msi;Version=1.0;");
        var options = new SignalRRestPublisherOptions { Transport = new HttpClientTransport(TestCertificate.TrustingHandler()) };

        await new SignalRRestPublisher(cs, options, credential).SendToAllAsync("firehose", "seq", [5]);

        Assert.Equal("Bearer entra-token", Assert.Single(_requests).Authorization);
        Assert.Equal([SignalRRestPublisher.Scope], credential.Scopes.Distinct());
    }

    [Fact]
    public void IdentityConnectionString_PlainHttp_Rejected()
    {
        var cs = SignalRConnectionString.Parse("Endpoint=http://127.0.0.1:1;AuthType=azure.msi;Version=1.0;");

        Assert.Throws<ArgumentException>(() => new SignalRRestPublisher(cs, credential: new FixedTokenCredential("t")));
    }

    private SignalRRestPublisher Publisher()
    {
        var cs = SignalRConnectionString.Parse($"Endpoint={_baseUri};AccessKey={Key};Version=1.0;");
        var options = new SignalRRestPublisherOptions();
        options.Retry.Delay = TimeSpan.FromMilliseconds(5);
        return new SignalRRestPublisher(cs, options);
    }

    private Task<(WebApplication, Uri)> StartRecorderAsync(bool https) =>
        TestHost.StartAsync(null, app => app.Run(async context =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
            _requests.Enqueue((context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "",
                context.Request.Headers.Authorization.ToString(), context.Request.ContentType ?? "", body));
            context.Response.StatusCode = _statuses.TryDequeue(out var status) ? status : StatusCodes.Status202Accepted;
        }), https);
}
