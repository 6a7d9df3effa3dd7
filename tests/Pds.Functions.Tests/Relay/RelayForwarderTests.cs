using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Pds.Functions.Hosting;
using Pds.Functions.Relay;

namespace Pds.Functions.Tests.Relay;

/// <summary>
/// The forwarder between a real client and a real upstream Kestrel app that reports what reached
/// it: requests and answers pass unchanged but for hop-by-hop headers, and bodies stream.
/// </summary>
public sealed class RelayForwarderTests : IAsyncLifetime
{
    private const string Secret = "forwarder-test-secret-0123456";
    private readonly TaskCompletionSource _upstreamGotFirstMegabyte = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _clientGotFirstMegabyte = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication _upstream = null!;
    private WebApplication _relay = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var (upstream, upstreamUrl) = await LoopbackApp.StartAsync(MapUpstream);
        _upstream = upstream;
        var forwarder = new RelayForwarder(LoopbackApp.Config(new Uri(upstreamUrl, "/base"), Secret, PdsRoles.Relay), new ListLogger<RelayForwarder>());
        var (relay, relayUrl) = await LoopbackApp.StartAsync(app => app.Run(forwarder.ForwardAsync));
        _relay = relay;
        _http = new HttpClient { BaseAddress = relayUrl, Timeout = TimeSpan.FromMinutes(2) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _relay.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task Request_PassesRawTargetAndHeaders_DropsHopByHop_AddsSecretAndForwardedHeaders()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "echo?a=1&a=2&b=%2F%20x");
        request.Headers.Connection.Add("X-Hop");
        request.Headers.TryAddWithoutValidation("X-Hop", "dropped");
        request.Headers.TryAddWithoutValidation("X-Kept", "kept");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer abc");
        request.Headers.TryAddWithoutValidation(RelayForwarder.SecretHeader, "forged by the client");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "forged.example");
        // The client is on loopback, like a platform ingress would be: its X-Forwarded-For names the client.
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "192.0.2.1, 198.51.100.4");

        var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("GET", (string?)seen["method"]);
        Assert.Equal("/base/echo?a=1&a=2&b=%2F%20x", (string?)seen["target"]);
        var headers = seen["headers"]!.AsObject();
        Assert.Equal("kept", (string?)headers["X-Kept"]);
        Assert.Equal("Bearer abc", (string?)headers["Authorization"]);
        Assert.Null(headers["X-Hop"]);
        Assert.Equal(Secret, (string?)headers[RelayForwarder.SecretHeader]);
        Assert.Equal(_http.BaseAddress!.Authority, (string?)headers["X-Forwarded-Host"]);
        Assert.Equal("198.51.100.4", (string?)headers["X-Forwarded-For"]);
        Assert.Equal("http", (string?)headers["X-Forwarded-Proto"]);
        Assert.Equal(new Uri(_upstream.Urls.First()).Authority, (string?)headers["Host"]);
    }

    [Fact]
    public async Task Response_PassesStatusHeadersAndBody_DropsHopByHop()
    {
        var response = await _http.PostAsync("teapot", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal((HttpStatusCode)418, response.StatusCode);
        Assert.Equal(["one", "two"], response.Headers.GetValues("X-Multi"));
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.False(response.Headers.Contains("X-Upstream-Hop"));
        Assert.Equal("""{"error":"Teapot","message":"short and stout"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task EmptyPost_ArrivesWithContentLengthZero()
    {
        var response = await _http.PostAsync("echo", new ByteArrayContent([]));

        var seen = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("0", (string?)seen["headers"]!["Content-Length"]);
        Assert.Equal(0, (long)seen["bodyLength"]!);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Upload100MB_StreamsThroughWithoutBeingHeld(bool withLength)
    {
        const long total = 100L * 1024 * 1024;
        // The client stops after 8 MB until the upstream says it already has 1 MB: a relay that
        // held the body until its end would never pass that point.
        var content = new PausingContent(total, pauseAfter: 8 * 1024 * 1024, resume: _upstreamGotFirstMegabyte.Task, withLength);

        var response = await _http.PostAsync("upload", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(total, (long)seen["length"]!);
        Assert.Equal(content.Sha256Hex, (string?)seen["sha256"]);
        Assert.Equal(withLength ? total.ToString(System.Globalization.CultureInfo.InvariantCulture) : null, (string?)seen["contentLength"]);
    }

    [Fact]
    public async Task Download_StreamsThroughWithoutBeingHeld()
    {
        // The upstream sends 1 MB, then waits for the client to have it before sending the rest.
        using var response = await _http.GetAsync("download", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long read = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (read < 1024 * 1024)
        {
            var n = await body.ReadAsync(buffer, timeout.Token);
            Assert.NotEqual(0, n);
            read += n;
        }
        _clientGotFirstMegabyte.TrySetResult();
        int m;
        while ((m = await body.ReadAsync(buffer, timeout.Token)) > 0)
        {
            read += m;
        }
        Assert.Equal(2 * 1024 * 1024, read);
    }

    [Fact]
    public async Task UpstreamDown_Is502WithAnXrpcError()
    {
        var closed = Server.PdsServerFixture.FreePort();
        var forwarder = new RelayForwarder(LoopbackApp.Config(new Uri($"http://127.0.0.1:{closed}"), Secret, PdsRoles.Relay), new ListLogger<RelayForwarder>());
        var (relay, url) = await LoopbackApp.StartAsync(app => app.Run(forwarder.ForwardAsync));
        await using var _ = relay;
        using var http = new HttpClient { BaseAddress = url };

        var response = await http.GetAsync("xrpc/com.atproto.server.describeServer");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("UpstreamFailure", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]);
    }

    private void MapUpstream(WebApplication app)
    {
        app.Map("/base/echo", async (HttpContext http) =>
        {
            var headers = new JsonObject();
            foreach (var (name, values) in http.Request.Headers)
            {
                headers[name] = values.ToString();
            }
            var length = 0L;
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = await http.Request.Body.ReadAsync(buffer)) > 0)
            {
                length += n;
            }
            return Results.Json(new JsonObject
            {
                ["method"] = http.Request.Method,
                ["target"] = http.Features.Get<IHttpRequestFeature>()!.RawTarget,
                ["headers"] = headers,
                ["bodyLength"] = length,
            });
        });
        app.MapPost("/base/teapot", (HttpContext http) =>
        {
            http.Response.StatusCode = 418;
            http.Response.Headers.Append("X-Multi", new(["one", "two"]));
            http.Response.Headers.Connection = "X-Upstream-Hop";
            http.Response.Headers["X-Upstream-Hop"] = "dropped";
            http.Response.ContentType = "application/json; charset=utf-8";
            return http.Response.WriteAsync("""{"error":"Teapot","message":"short and stout"}""");
        });
        app.MapPost("/base/upload", async (HttpContext http) =>
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[64 * 1024];
            long length = 0;
            int n;
            while ((n = await http.Request.Body.ReadAsync(buffer)) > 0)
            {
                sha.AppendData(buffer, 0, n);
                length += n;
                if (length >= 1024 * 1024)
                {
                    _upstreamGotFirstMegabyte.TrySetResult();
                }
            }
            return Results.Json(new JsonObject
            {
                ["length"] = length,
                ["sha256"] = Convert.ToHexStringLower(sha.GetHashAndReset()),
                ["contentLength"] = http.Request.ContentLength?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        });
        app.MapGet("/base/download", async (HttpContext http) =>
        {
            var chunk = new byte[64 * 1024];
            for (var i = 0; i < 16; i++)
            {
                await http.Response.Body.WriteAsync(chunk);
            }
            await http.Response.Body.FlushAsync();
            await _clientGotFirstMegabyte.Task.WaitAsync(TimeSpan.FromSeconds(30));
            for (var i = 0; i < 16; i++)
            {
                await http.Response.Body.WriteAsync(chunk);
            }
        });
    }

    /// <summary>A generated body that stops after <c>pauseAfter</c> bytes until <c>resume</c> completes.</summary>
    private sealed class PausingContent(long total, long pauseAfter, Task resume, bool withLength) : HttpContent
    {
        private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public string Sha256Hex { get; private set; } = "";

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var chunk = new byte[64 * 1024];
            long sent = 0;
            var paused = false;
            while (sent < total)
            {
                if (!paused && sent >= pauseAfter)
                {
                    paused = true;
                    await resume.WaitAsync(TimeSpan.FromSeconds(30));
                }
                var n = (int)Math.Min(chunk.Length, total - sent);
                chunk[0] = (byte)(sent / chunk.Length);
                _sha.AppendData(chunk, 0, n);
                await stream.WriteAsync(chunk.AsMemory(0, n));
                sent += n;
            }
            Sha256Hex = Convert.ToHexStringLower(_sha.GetHashAndReset());
        }

        protected override bool TryComputeLength(out long length)
        {
            length = total;
            return withLength;
        }

        protected override void Dispose(bool disposing)
        {
            _sha.Dispose();
            base.Dispose(disposing);
        }
    }
}
