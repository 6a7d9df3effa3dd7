using Pds.Core.Syntax;
using Reply = Pds.Net.Tests.WebServerFixture.Reply;

namespace Pds.Net.Tests;

/// <summary>
/// Handle resolution through real dnsmasq (DNS TXT) and a real Kestrel server (well-known over
/// http, allowed for .localhost handles only).
/// </summary>
public sealed class HandleResolverTests : IClassFixture<DnsmasqFixture>, IClassFixture<WebServerFixture>, IDisposable
{
    private const string WellKnown = "/.well-known/atproto-did";
    private const string HttpDid = "did:plc:httphttphttphttphttphttp";

    private readonly DnsmasqFixture _dns;
    private readonly WebServerFixture _web;
    private readonly HttpClient _http;
    private readonly HandleResolver _resolver;

    public HandleResolverTests(DnsmasqFixture dns, WebServerFixture web)
    {
        _dns = dns;
        _web = web;
        _http = web.CreateClient();
        _resolver = new HandleResolver(dns.Client(), _http, new HandleResolverOptions
        {
            AllowHttpForLocalhost = true,
            // Generous: the first request pays for JIT and Kestrel warm-up on a busy 2-core machine.
            HttpTimeout = TimeSpan.FromSeconds(5),
        });
        web.Set("web.localhost", WellKnown, new Reply($"  {HttpDid}\n"));
        web.Set("both.localhost", WellKnown, new Reply(HttpDid));
        web.Set("ambiguous.localhost", WellKnown, new Reply(HttpDid));
        web.Set("notadid.localhost", WellKnown, new Reply("<html>hello</html>", ContentType: "text/html"));
        web.Set("huge.localhost", WellKnown, new Reply(HttpDid + new string(' ', HandleResolver.MaxWellKnownBytes)));
        web.Set("error.localhost", WellKnown, new Reply(HttpDid, Status: 500));
        web.Set("slow.localhost", WellKnown, new Reply(HttpDid, Delay: TimeSpan.FromSeconds(30)));
    }

    public void Dispose() => _http.Dispose();

    [Theory]
    [InlineData("alice.test", DnsmasqFixture.AliceDid)]
    [InlineData("ALICE.test", DnsmasqFixture.AliceDid)]
    [InlineData("split.test", DnsmasqFixture.SplitDid)]
    [InlineData("mixed.test", DnsmasqFixture.MixedDid)]
    [InlineData("twice.test", null)]
    [InlineData("spf.test", null)]
    [InlineData("junk.test", null)]
    [InlineData("none.test", null)]
    public async Task Resolve_DnsTxt(string handle, string? expected)
    {
        var did = await _resolver.ResolveAsync(Handle.Parse(handle), CancellationToken.None);
        Assert.Equal(expected, did?.ToString());
    }

    [Theory]
    [InlineData("web.localhost", HttpDid)]
    [InlineData("both.localhost", DnsmasqFixture.BothDnsDid)]
    [InlineData("ambiguous.localhost", HttpDid)]
    [InlineData("notadid.localhost", null)]
    [InlineData("huge.localhost", null)]
    [InlineData("error.localhost", null)]
    [InlineData("missing.localhost", null)]
    public async Task Resolve_WellKnownAndPrecedence(string handle, string? expected)
    {
        var did = await _resolver.ResolveAsync(Handle.Parse(handle), CancellationToken.None);
        Assert.Equal(expected, did?.ToString());
    }

    [Fact]
    public async Task Resolve_SlowWellKnown_GivesUpAtTheTimeout()
    {
        var resolver = new HandleResolver(_dns.Client(), _http, new HandleResolverOptions
        {
            AllowHttpForLocalhost = true,
            HttpTimeout = TimeSpan.FromSeconds(1),
        });
        var started = DateTime.UtcNow;
        Assert.Null(await resolver.ResolveAsync(Handle.Parse("slow.localhost"), CancellationToken.None));
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Resolve_DnsUnreachable_WellKnownStillWorks()
    {
        var deadDns = new DnsTxtClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 1), TimeSpan.FromMilliseconds(200), retries: 0);
        var resolver = new HandleResolver(deadDns, _http, new HandleResolverOptions { AllowHttpForLocalhost = true });
        Assert.Equal(HttpDid, (await resolver.ResolveAsync(Handle.Parse("web.localhost"), CancellationToken.None))?.ToString());
    }

    [Fact]
    public async Task Resolve_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _resolver.ResolveAsync(Handle.Parse("alice.test"), cts.Token));
    }

    [Fact]
    public void WellKnownUrl_HttpOnlyForLocalhostAndOnlyWhenAllowed()
    {
        Assert.Equal("http://web.localhost/.well-known/atproto-did", _resolver.WellKnownUrl(Handle.Parse("web.localhost")).ToString());
        Assert.Equal("https://alice.test/.well-known/atproto-did", _resolver.WellKnownUrl(Handle.Parse("alice.test")).ToString());
        var strict = new HandleResolver(_dns.Client(), _http);
        Assert.Equal("https://web.localhost/.well-known/atproto-did", strict.WellKnownUrl(Handle.Parse("web.localhost")).ToString());
    }
}
