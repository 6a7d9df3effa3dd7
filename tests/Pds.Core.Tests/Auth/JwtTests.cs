using System.Text;
using System.Text.Json.Nodes;
using Pds.Core.Auth;
using Pds.Core.Crypto;
using Pds.Core.Xrpc;

namespace Pds.Core.Tests.Auth;

public class JwtTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("test secret");

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void AccessToken_RoundTrips_AndKeepsPlusLiteralInTyp()
    {
        var tokens = new TokenService(Secret, "did:web:pds.example", TimeProvider.System);
        var token = tokens.CreateAccessToken("did:plc:abc", AuthScopes.Access);
        var header = Encoding.UTF8.GetString(Convert.FromBase64String(Pad(token.Split('.')[0])));
        Assert.Contains("\"at+jwt\"", header);
        Assert.Equal(new AuthContext("did:plc:abc", AuthScopes.Access), tokens.ValidateAccess(token));
    }

    [Fact]
    public void Validate_ExpiredTamperedWrongSecretOrType_Throws()
    {
        var clock = new FixedClock(DateTimeOffset.UnixEpoch.AddYears(56));
        var tokens = new TokenService(Secret, "did:web:pds.example", clock);
        var access = tokens.CreateAccessToken("did:plc:abc", AuthScopes.Access);
        var (refresh, _, _) = tokens.CreateRefreshToken("did:plc:abc");

        Assert.Equal("InvalidToken", Assert.Throws<XrpcException>(() => tokens.ValidateAccess(refresh)).Error);
        Assert.Equal("InvalidToken", Assert.Throws<XrpcException>(() => tokens.ValidateRefresh(access)).Error);
        var parts = access.Split('.');
        var forged = parts[0] + "." + parts[1].Replace('A', 'B') + "." + parts[2];
        Assert.Equal("InvalidToken", Assert.Throws<XrpcException>(() => tokens.ValidateAccess(forged)).Error);
        var other = new TokenService(Encoding.UTF8.GetBytes("other"), "did:web:pds.example", clock);
        Assert.Equal("InvalidToken", Assert.Throws<XrpcException>(() => other.ValidateAccess(access)).Error);
        var elsewhere = new TokenService(Secret, "did:web:other.example", clock);
        Assert.Equal("InvalidToken", Assert.Throws<XrpcException>(() => elsewhere.ValidateAccess(access)).Error);
        Assert.Equal("InvalidToken", Assert.Throws<XrpcException>(() => tokens.ValidateAccess("not.a.jwt")).Error);

        clock.Now += TokenService.AccessLifetime + TimeSpan.FromSeconds(1);
        Assert.Equal("ExpiredToken", Assert.Throws<XrpcException>(() => tokens.ValidateAccess(access)).Error);
    }

    [Theory]
    [InlineData(KeyType.Secp256k1, "ES256K")]
    [InlineData(KeyType.P256, "ES256")]
    public async Task SignAsync_ServiceAuth_VerifiesWithTheSignersKey(KeyType type, string alg)
    {
        using var key = Keypair.Generate(type);
        var token = await Jwt.SignAsync(key, "JWT", new JsonObject { ["iss"] = "did:plc:abc", ["lxm"] = "app.bsky.feed.getTimeline" });
        Assert.True(Jwt.TryDecode(token, out var parts, out _));
        Assert.Equal(alg, (string?)parts.Header["alg"]);
        Assert.True(Jwt.VerifySignature(parts, key.PublicKey));
        Assert.False(Jwt.VerifySignature(parts, Keypair.Generate(type).PublicKey));
    }

    [Fact]
    public void PasswordHasher_VerifiesOnlyTheRightPassword()
    {
        var hash = PasswordHasher.Hash("hunter2", iterations: 1000);
        Assert.True(PasswordHasher.Verify("hunter2", hash));
        Assert.False(PasswordHasher.Verify("hunter3", hash));
        Assert.False(PasswordHasher.Verify("hunter2", "garbage"));
        Assert.False(PasswordHasher.Verify("hunter2", "pbkdf2-sha256$1000$***$***"));
        Assert.NotEqual(hash, PasswordHasher.Hash("hunter2", iterations: 1000));
    }

    private static string Pad(string b64url)
    {
        var s = b64url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - s.Length % 4) % 4);
    }
}
