using Pds.Core.Crypto;
using Pds.Core.Identity;
using Pds.Core.Syntax;
using Reply = Pds.Net.Tests.WebServerFixture.Reply;

namespace Pds.Net.Tests;

/// <summary>did:web resolution against a real Kestrel server serving /.well-known/did.json.</summary>
public sealed class DidWebTests(WebServerFixture web) : IClassFixture<WebServerFixture>, IDisposable
{
    private const string DidJson = "/.well-known/did.json";

    private readonly HttpClient _http = web.CreateClient();

    public void Dispose() => _http.Dispose();

    /// <summary>Never called: did:web must not touch the directory.</summary>
    private sealed class NoPlc : IPlcClient
    {
        public Task SubmitAsync(Did did, PlcOperation signedOperation, CancellationToken cancellationToken) => throw new InvalidOperationException();
        public Task<PlcLastOperation?> GetLastOperationAsync(Did did, CancellationToken cancellationToken) => throw new InvalidOperationException();
        public Task<IReadOnlyList<PlcOperation>?> GetOperationLogAsync(Did did, CancellationToken cancellationToken) => throw new InvalidOperationException();
        public Task<DidDocument?> GetDocumentAsync(Did did, CancellationToken cancellationToken) => throw new InvalidOperationException();
    }

    private DidResolver Resolver(bool allowHttp = true, TimeProvider? time = null) =>
        new(new NoPlc(), _http, new DidResolverOptions { AllowHttpForLocalhost = allowHttp, WebTimeout = TimeSpan.FromSeconds(5) }, time);

    private Did LocalDid => Did.Parse($"did:web:localhost%3A{web.Port}");

    [Fact]
    public async Task Resolve_LocalhostDidWeb_DocumentOverHttp()
    {
        using var key = Keypair.Generate(KeyType.Secp256k1);
        var doc = DidDocument.CreateAtproto(LocalDid, Handle.Parse("web.localhost"), key.PublicKey, $"http://localhost:{web.Port}");
        web.Set("localhost", DidJson, new Reply(doc.ToJson(), ContentType: "application/json"));

        var resolved = await Resolver().ResolveAsync(LocalDid, false, CancellationToken.None);
        Assert.Equal(LocalDid, resolved!.Id);
        Assert.Equal(key.PublicKey, resolved.SigningKey);
        Assert.Equal("web.localhost", resolved.Handle!.ToString());
    }

    [Fact]
    public async Task Resolve_CacheExpiresAfterTtl()
    {
        var time = new ManualTime();
        var resolver = Resolver(time: time);
        using var first = Keypair.Generate(KeyType.P256);
        using var second = Keypair.Generate(KeyType.P256);
        web.Set("localhost", DidJson, new Reply(DidDocument.CreateAtproto(LocalDid, null, first.PublicKey, "https://pds.example.com").ToJson()));
        Assert.Equal(first.PublicKey, (await resolver.ResolveAsync(LocalDid, false, CancellationToken.None))!.SigningKey);

        web.Set("localhost", DidJson, new Reply(DidDocument.CreateAtproto(LocalDid, null, second.PublicKey, "https://pds.example.com").ToJson()));
        Assert.Equal(first.PublicKey, (await resolver.ResolveAsync(LocalDid, false, CancellationToken.None))!.SigningKey);
        time.Advance(new DidResolverOptions().CacheTtl + TimeSpan.FromSeconds(1));
        Assert.Equal(second.PublicKey, (await resolver.ResolveAsync(LocalDid, false, CancellationToken.None))!.SigningKey);
    }

    [Fact]
    public async Task Resolve_BadAnswers_DidResolutionExceptionOrNull()
    {
        using var key = Keypair.Generate(KeyType.Secp256k1);
        var other = DidDocument.CreateAtproto(Did.Parse("did:web:other.example.com"), null, key.PublicKey, "https://pds.example.com");

        web.Set("localhost", DidJson, new Reply(other.ToJson()));
        await Assert.ThrowsAsync<DidResolutionException>(() => Resolver().ResolveAsync(LocalDid, true, CancellationToken.None));

        web.Set("localhost", DidJson, new Reply("{\"id\": 5}"));
        await Assert.ThrowsAsync<DidResolutionException>(() => Resolver().ResolveAsync(LocalDid, true, CancellationToken.None));

        web.Set("localhost", DidJson, new Reply("{\"id\":\"" + LocalDid + "\",\"pad\":\"" + new string('x', DidDocument.MaxJsonLength) + "\"}"));
        await Assert.ThrowsAsync<DidResolutionException>(() => Resolver().ResolveAsync(LocalDid, true, CancellationToken.None));

        web.Set("localhost", DidJson, new Reply("", Status: 503));
        await Assert.ThrowsAsync<DidResolutionException>(() => Resolver().ResolveAsync(LocalDid, true, CancellationToken.None));

        web.Set("localhost", DidJson, new Reply(other.ToJson(), Delay: TimeSpan.FromSeconds(30)));
        await Assert.ThrowsAsync<DidResolutionException>(() => Resolver().ResolveAsync(LocalDid, true, CancellationToken.None));

        web.Routes.TryRemove("localhost" + DidJson, out _);
        Assert.Null(await Resolver().ResolveAsync(LocalDid, true, CancellationToken.None));

        // Without the development switch, localhost is https like everything else, and the plain server fails it.
        web.Set("localhost", DidJson, new Reply(other.ToJson()));
        await Assert.ThrowsAsync<DidResolutionException>(() => Resolver(allowHttp: false).ResolveAsync(LocalDid, true, CancellationToken.None));
        await Assert.ThrowsAsync<DidResolutionException>(() => Resolver().ResolveAsync(Did.Parse("did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme"), false, CancellationToken.None));
    }

    [Theory]
    [InlineData("did:web:example.com", true, "https://example.com/.well-known/did.json")]
    [InlineData("did:web:localhost%3A2583", true, "http://localhost:2583/.well-known/did.json")]
    [InlineData("did:web:localhost%3a2583", false, "https://localhost:2583/.well-known/did.json")]
    [InlineData("did:web:example.com%3A8443", true, null)]
    [InlineData("did:web:example.com:user:alice", true, null)]
    [InlineData("did:web:localhost%3A99999", true, null)]
    [InlineData("did:web:exa%2Fmple.com", true, null)]
    [InlineData("did:web:127.0.0.1", true, null)]
    public void WebDocumentUrl_HostLevelOnly(string did, bool allowHttp, string? expected)
    {
        Assert.Equal(expected, DidResolver.WebDocumentUrl(Did.Parse(did), allowHttp)?.ToString());
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
