using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Core;
using Pds.Azure.KeyVault;
using Pds.Core.Crypto;

namespace Pds.Azure.Tests.KeyVault;

public sealed class KeyVaultKeysClientTests : IAsyncLifetime
{
    private FakeKeyVault _vault = null!;

    public async Task InitializeAsync() => _vault = await FakeKeyVault.StartAsync();

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    [Theory]
    [InlineData(KeyType.Secp256k1, "P-256K")]
    [InlineData(KeyType.P256, "P-256")]
    public async Task CreateEcKeyAsync_SendsCreateRequest_ReturnsJwkOfTheVaultKey(KeyType type, string crv)
    {
        var client = _vault.CreateClient();

        var key = await client.CreateEcKeyAsync("repo-signing-1", type);

        var request = Assert.Single(_vault.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/keys/repo-signing-1/create", request.Path);
        Assert.Equal("?api-version=7.4", request.Query);
        Assert.Equal("Bearer " + FakeKeyVault.Token, request.Authorization);
        Assert.StartsWith("application/json", request.ContentType);
        var body = request.Json;
        Assert.Equal(3, body.EnumerateObject().Count());
        Assert.Equal("EC", body.GetProperty("kty").GetString());
        Assert.Equal(crv, body.GetProperty("crv").GetString());
        Assert.Equal(["sign", "verify"], body.GetProperty("key_ops").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([KeyVaultKeysClient.Scope], _vault.Credential.Scopes.Distinct());

        Assert.Equal("repo-signing-1", key.Id.Name);
        Assert.Equal(32, key.Id.Version.Length);
        Assert.Equal(_vault.VaultUri, key.Id.VaultUri);
        Assert.Equal("EC", key.Kty);
        Assert.Equal(crv, key.Curve);
        Assert.Equal(_vault.EcKey("repo-signing-1").PublicKey, key.ToPublicKey());
    }

    [Fact]
    public async Task GetKeyAsync_LatestOrVersion_UsesTheMatchingPath()
    {
        var client = _vault.CreateClient();
        var first = await client.CreateEcKeyAsync("k", KeyType.Secp256k1);
        var second = await client.CreateEcKeyAsync("k", KeyType.Secp256k1);

        var latest = await client.GetKeyAsync("k");
        var pinned = await client.GetKeyAsync("k", first.Id.Version);

        Assert.Equal(second.Id, latest.Id);
        Assert.Equal(first.Id, pinned.Id);
        Assert.Equal(first.ToPublicKey(), pinned.ToPublicKey());
        var gets = _vault.Requests.Where(r => r.Method == "GET").ToArray();
        Assert.Equal(["/keys/k", $"/keys/k/{first.Id.Version}"], gets.Select(r => r.Path));
        Assert.All(gets, r => Assert.Equal("?api-version=7.4", r.Query));
        Assert.All(gets, r => Assert.Equal("", r.Body));
    }

    [Fact]
    public async Task SignAsync_SendsBase64UrlDigest_ReturnsRaw64Bytes()
    {
        var client = _vault.CreateClient();
        var key = await client.CreateEcKeyAsync("k", KeyType.Secp256k1);
        // Bytes whose standard base64 has '+', '/' and '=' padding, so base64url is really checked.
        var digest = Enumerable.Repeat((byte)0xFB, 31).Append((byte)0xFF).ToArray();

        var signature = await client.SignAsync(key.Id, "ES256K", digest);

        var request = _vault.Requests.Last();
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/keys/k/{key.Id.Version}/sign", request.Path);
        Assert.Equal("?api-version=7.4", request.Query);
        Assert.Equal("ES256K", request.Json.GetProperty("alg").GetString());
        var value = request.Json.GetProperty("value").GetString()!;
        Assert.Equal(Base64Url.EncodeToString(digest), value);
        Assert.DoesNotContain('+', value);
        Assert.DoesNotContain('/', value);
        Assert.DoesNotContain('=', value);
        Assert.Equal(64, signature.Length);
    }

    [Fact]
    public async Task SignAsync_DigestNot32Bytes_Throws()
    {
        var client = _vault.CreateClient();
        var key = await client.CreateEcKeyAsync("k", KeyType.Secp256k1);

        await Assert.ThrowsAsync<ArgumentException>(() => client.SignAsync(key.Id, "ES256K", new byte[31]));
        await Assert.ThrowsAsync<ArgumentException>(() => client.SignAsync(key.Id, "RS256", new byte[32]));
    }

    [Fact]
    public async Task SignAsync_KeyIdOfAnotherVault_RefusedWithoutSendingTheToken()
    {
        var client = _vault.CreateClient();
        var foreign = KeyVaultKeyId.Parse("https://evil.example/keys/k/0123456789abcdef0123456789abcdef");

        await Assert.ThrowsAsync<ArgumentException>(() => client.SignAsync(foreign, "ES256K", new byte[32]));
        Assert.Empty(_vault.Requests);
    }

    [Fact]
    public async Task SignAsync_DerSignature_ThrowsKeyVaultException()
    {
        var client = _vault.CreateClient();
        var key = await client.CreateEcKeyAsync("k", KeyType.P256);
        _vault.Signatures = SignatureMode.Der;

        var error = await Assert.ThrowsAsync<KeyVaultException>(() => client.SignAsync(key.Id, "ES256", new byte[32]));
        Assert.Equal(0, error.Status);
    }

    [Fact]
    public async Task WrapAndUnwrap_RsaOaep256_RoundTrip()
    {
        var client = _vault.CreateClient();
        var kek = await client.CreateRsaKeyAsync("wrapping-key", 2048);
        var dataKey = RandomNumberGenerator.GetBytes(32);

        var wrapped = await client.WrapKeyAsync(kek.Id, dataKey);
        var unwrapped = await client.UnwrapKeyAsync(kek.Id, wrapped);

        Assert.Equal(dataKey, unwrapped);
        Assert.Equal(256, wrapped.Length);
        Assert.Equal("RSA", kek.Kty);
        Assert.Equal(256, kek.Modulus.Length);
        var requests = _vault.Requests.ToArray();
        var create = requests[0].Json;
        Assert.Equal("RSA", create.GetProperty("kty").GetString());
        Assert.Equal(2048, create.GetProperty("key_size").GetInt32());
        Assert.Equal(["wrapKey", "unwrapKey"], create.GetProperty("key_ops").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal($"/keys/wrapping-key/{kek.Id.Version}/wrapkey", requests[1].Path);
        Assert.Equal($"/keys/wrapping-key/{kek.Id.Version}/unwrapkey", requests[2].Path);
        Assert.All(requests[1..], r => Assert.Equal("RSA-OAEP-256", r.Json.GetProperty("alg").GetString()));
        Assert.Equal(Base64Url.EncodeToString(dataKey), requests[1].Json.GetProperty("value").GetString());
        Assert.Equal(Base64Url.EncodeToString(wrapped), requests[2].Json.GetProperty("value").GetString());
    }

    [Fact]
    public async Task DeleteKeyAsync_SendsDelete_KeyGoneAndNameStaysTaken()
    {
        var client = _vault.CreateClient();
        await client.CreateEcKeyAsync("k", KeyType.Secp256k1);

        Assert.True(await client.DeleteKeyAsync("k"));

        var request = _vault.Requests.Last();
        Assert.Equal("DELETE", request.Method);
        Assert.Equal("/keys/k", request.Path);
        Assert.Equal("?api-version=7.4", request.Query);
        Assert.Equal("Bearer " + FakeKeyVault.Token, request.Authorization);
        Assert.Equal("", request.Body);
        Assert.Equal(404, (await Assert.ThrowsAsync<KeyVaultException>(() => client.GetKeyAsync("k"))).Status);
        // Soft delete: the name cannot be used again until it is purged.
        Assert.Equal(409, (await Assert.ThrowsAsync<KeyVaultException>(() => client.CreateEcKeyAsync("k", KeyType.Secp256k1))).Status);
    }

    [Fact]
    public async Task DeleteKeyAsync_NoSuchKey_False()
    {
        var client = _vault.CreateClient();

        Assert.False(await client.DeleteKeyAsync("never-created"));

        Assert.Equal("DELETE", Assert.Single(_vault.Requests).Method);
    }

    [Fact]
    public async Task DeleteKeyAsync_Forbidden_Throws()
    {
        var client = _vault.CreateClient();
        _vault.FailNext(403, "Forbidden");

        var error = await Assert.ThrowsAsync<KeyVaultException>(() => client.DeleteKeyAsync("k"));

        Assert.Equal(403, error.Status);
    }

    [Theory]
    [InlineData(401, "Unauthorized")]
    [InlineData(403, "Forbidden")]
    [InlineData(404, "KeyNotFound")]
    [InlineData(400, "BadParameter")]
    public async Task ErrorStatus_NotRetried_MapsToKeyVaultException(int status, string code)
    {
        var client = _vault.CreateClient();
        _vault.FailNext(status, code);

        var error = await Assert.ThrowsAsync<KeyVaultException>(() => client.GetKeyAsync("k"));

        Assert.Equal(status, error.Status);
        Assert.Equal(code, error.ErrorCode);
        Assert.Contains(code, error.Message);
        Assert.DoesNotContain(FakeKeyVault.Token, error.ToString());
        Assert.Single(_vault.Requests);
    }

    [Fact]
    public async Task MissingKey_Maps404()
    {
        var client = _vault.CreateClient();

        var error = await Assert.ThrowsAsync<KeyVaultException>(() => client.GetKeyAsync("never-created"));

        Assert.Equal(404, error.Status);
        Assert.Equal("KeyNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task Throttled429_RetriedThenSucceeds()
    {
        var client = _vault.CreateClient(maxRetries: 3);
        await client.CreateEcKeyAsync("k", KeyType.Secp256k1);
        _vault.FailNext(429, "Throttled", count: 2);

        var key = await client.GetKeyAsync("k");

        Assert.Equal("k", key.Id.Name);
        var gets = _vault.Requests.Where(r => r.Method == "GET").ToArray();
        Assert.Equal(3, gets.Length);
        Assert.All(gets, r => Assert.Equal("Bearer " + FakeKeyVault.Token, r.Authorization));
    }

    [Fact]
    public async Task Throttled429_Persistent_ThrowsAfterRetries()
    {
        var client = _vault.CreateClient(maxRetries: 2);
        _vault.FailNext(429, "Throttled", count: 10);

        var error = await Assert.ThrowsAsync<KeyVaultException>(() => client.GetKeyAsync("k"));

        Assert.Equal(429, error.Status);
        Assert.Equal("Throttled", error.ErrorCode);
        Assert.Equal(3, _vault.Requests.Count);
    }

    [Fact]
    public async Task CredentialFailure_MapsToKeyVaultException_WithoutRequest()
    {
        var client = _vault.CreateClient();
        _vault.Credential.Fail = true;

        var error = await Assert.ThrowsAsync<KeyVaultException>(() => client.GetKeyAsync("k"));

        Assert.Equal(0, error.Status);
        Assert.Empty(_vault.Requests);
    }

    [Theory]
    [InlineData("../secrets/x")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("name with space")]
    public async Task InvalidKeyName_RejectedBeforeAnyRequest(string name)
    {
        var client = _vault.CreateClient();

        await Assert.ThrowsAsync<ArgumentException>(() => client.GetKeyAsync(name));
        await Assert.ThrowsAsync<ArgumentException>(() => client.CreateEcKeyAsync(name, KeyType.Secp256k1));
        await Assert.ThrowsAsync<ArgumentException>(() => client.DeleteKeyAsync(name));
        Assert.Empty(_vault.Requests);
    }

    [Fact]
    public void Constructor_PlainHttp_Rejected()
    {
        var credential = new FixedTokenCredential("t");

        Assert.Throws<ArgumentException>(() => new KeyVaultKeysClient(new Uri("http://127.0.0.1:1/"), credential));
    }

    [Fact]
    public void Options_PinApiVersion()
    {
        Assert.Equal("7.4", new KeyVaultKeysClientOptions().ApiVersion);
        Assert.Equal(RetryMode.Exponential, new KeyVaultKeysClientOptions().Retry.Mode);
    }
}
