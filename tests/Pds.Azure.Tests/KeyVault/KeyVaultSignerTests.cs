using System.Text;
using Pds.Azure.KeyVault;
using Pds.Core.Crypto;

namespace Pds.Azure.Tests.KeyVault;

public sealed class KeyVaultSignerTests : IAsyncLifetime
{
    private FakeKeyVault _vault = null!;

    public async Task InitializeAsync() => _vault = await FakeKeyVault.StartAsync();

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    [Theory]
    [InlineData(KeyType.Secp256k1)]
    [InlineData(KeyType.P256)]
    public async Task SignAsync_HighSFromVault_ReturnsLowSThatVerifies(KeyType type)
    {
        var client = _vault.CreateClient();
        await client.CreateEcKeyAsync("repo", type);
        var signer = await KeyVaultSigner.CreateAsync(client, "repo");

        for (var i = 0; i < 8; i++)
        {
            var data = Encoding.UTF8.GetBytes($"commit {i}");
            var raw = await client.SignAsync(signer.KeyId, type.JwtAlgorithm(), System.Security.Cryptography.SHA256.HashData(data));
            Assert.False(LowS.IsLow(type, raw)); // the fake really sends high S

            var signature = await signer.SignAsync(data, CancellationToken.None);

            Assert.Equal(64, signature.Length);
            Assert.True(LowS.IsLow(type, signature));
            Assert.True(signer.PublicKey.Verify(data, signature));
            Assert.True(_vault.EcKey("repo").PublicKey.Verify(data, signature));
        }
        var sign = _vault.Requests.Last();
        Assert.Equal(type.JwtAlgorithm(), sign.Json.GetProperty("alg").GetString());
    }

    [Theory]
    [InlineData(SignatureMode.WrongDigest)]
    [InlineData(SignatureMode.ZeroS)]
    [InlineData(SignatureMode.Der)]
    public async Task SignAsync_BadSignatureFromVault_Throws(SignatureMode mode)
    {
        var client = _vault.CreateClient();
        await client.CreateEcKeyAsync("repo", KeyType.Secp256k1);
        var signer = await KeyVaultSigner.CreateAsync(client, "repo");
        _vault.Signatures = mode;

        var error = await Assert.ThrowsAsync<KeyVaultException>(async () => await signer.SignAsync("data"u8.ToArray(), CancellationToken.None));

        Assert.Equal(0, error.Status);
    }

    [Fact]
    public async Task CreateAsync_PinsTheVersionItFetched()
    {
        var client = _vault.CreateClient();
        var first = await client.CreateEcKeyAsync("repo", KeyType.Secp256k1);
        var signer = await KeyVaultSigner.CreateAsync(client, "repo");
        await client.CreateEcKeyAsync("repo", KeyType.Secp256k1); // a rotation in the vault

        await signer.SignAsync("data"u8.ToArray(), CancellationToken.None);

        Assert.Equal(first.Id, signer.KeyId);
        Assert.Equal($"/keys/repo/{first.Id.Version}/sign", _vault.Requests.Last().Path);
    }

    [Fact]
    public async Task Signer_WorksWithServiceAuthJwt()
    {
        var client = _vault.CreateClient();
        await client.CreateEcKeyAsync("repo", KeyType.Secp256k1);
        var signer = await KeyVaultSigner.CreateAsync(client, "repo");

        var token = await Pds.Core.Auth.Jwt.SignAsync(signer, "JWT", new System.Text.Json.Nodes.JsonObject { ["iss"] = "did:plc:test" });

        Assert.True(Pds.Core.Auth.Jwt.TryDecode(token, out var parts, out _));
        Assert.True(Pds.Core.Auth.Jwt.VerifySignature(parts, signer.PublicKey));
    }

    [Fact]
    public async Task Constructor_RsaKey_Rejected()
    {
        var client = _vault.CreateClient();
        var rsa = await client.CreateRsaKeyAsync("kek", 2048);

        Assert.Throws<InvalidOperationException>(() => new KeyVaultSigner(client, rsa));
    }

    [Fact]
    public async Task StoredKeyConstructor_SignsWithoutFetchingTheKey()
    {
        var client = _vault.CreateClient();
        var key = await client.CreateEcKeyAsync("repo", KeyType.Secp256k1);
        var before = _vault.Requests.Count;

        var signer = new KeyVaultSigner(client, KeyVaultKeyId.Create(client.VaultUri, "repo", key.Id.Version), key.ToPublicKey());
        var signature = await signer.SignAsync("data"u8.ToArray(), CancellationToken.None);

        Assert.True(key.ToPublicKey().Verify("data"u8, signature));
        Assert.Equal(["/keys/repo/" + key.Id.Version + "/sign"], _vault.Requests.Skip(before).Select(r => r.Path));
    }

    [Fact]
    public async Task StoredKeyConstructor_WrongPublicKey_FirstSignatureThrows()
    {
        var client = _vault.CreateClient();
        var key = await client.CreateEcKeyAsync("repo", KeyType.Secp256k1);
        using var other = Keypair.Generate(KeyType.Secp256k1);

        var signer = new KeyVaultSigner(client, key.Id, other.PublicKey);

        var error = await Assert.ThrowsAsync<KeyVaultException>(async () => await signer.SignAsync("data"u8.ToArray(), CancellationToken.None));
        Assert.Equal(0, error.Status);
    }

    [Fact]
    public void StoredKeyConstructor_KeyIdOfAnotherVault_Rejected()
    {
        var client = _vault.CreateClient();
        using var key = Keypair.Generate(KeyType.Secp256k1);
        var foreign = KeyVaultKeyId.Parse("https://evil.example/keys/k/0123456789abcdef0123456789abcdef");

        Assert.Throws<ArgumentException>(() => new KeyVaultSigner(client, foreign, key.PublicKey));
    }
}
