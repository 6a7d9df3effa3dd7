using System.Text;
using Pds.Azure.Adapters.Keys;
using Pds.Core.Crypto;
using Pds.TestSupport;

namespace Pds.Azure.Tests.Adapters.Keys;

/// <summary>The PLC rotation key in sign mode: a named vault key whose version is pinned in the keys table.</summary>
[Collection(KeysAzuriteCollection.Name)]
public sealed class KeyVaultNamedKeyTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly byte[] Data = Encoding.UTF8.GetBytes("plc operation bytes");

    private KeyStoreBed _bed = null!;

    public async Task InitializeAsync() => _bed = await KeyStoreBed.StartAsync(azurite);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task FirstStart_CreatesP256KKey_LaterStarts_OneTableReadNoVaultCall()
    {
        var first = await KeyVaultNamedKey.GetOrCreateAsync(_bed.Vault.CreateClient(), _bed.NewTable());
        var create = Assert.Single(_bed.Vault.Requests, r => r.Method == "POST");
        var before = _bed.Vault.Requests.Count;
        var table = _bed.NewTable();

        var later = await KeyVaultNamedKey.GetOrCreateAsync(_bed.Vault.CreateClient(), table);

        Assert.Equal("/keys/plc-rotation/create", create.Path);
        Assert.Equal("P-256K", create.Json.GetProperty("crv").GetString());
        Assert.Equal(first.KeyId, later.KeyId);
        Assert.Equal(first.PublicKey, later.PublicKey);
        Assert.Equal(before, _bed.Vault.Requests.Count);
        Assert.Equal(1, table.Requests.Count);
    }

    [Fact]
    public async Task Sign_OneVaultCallPerSignature_LowS()
    {
        var signer = await KeyVaultNamedKey.GetOrCreateAsync(_bed.Vault.CreateClient(), _bed.NewTable());
        var before = _bed.Vault.Requests.Count;

        var signature = await signer.SignAsync(Data, CancellationToken.None);

        Assert.Equal(before + 1, _bed.Vault.Requests.Count);
        Assert.True(LowS.IsLow(KeyType.Secp256k1, signature));
        Assert.True(_bed.Vault.EcKey("plc-rotation").PublicKey.Verify(Data, signature));
    }

    [Fact]
    public async Task ExistingVaultKey_Adopted_NotCreated()
    {
        var provisioned = await _bed.Vault.CreateClient().CreateEcKeyAsync("rotation", KeyType.P256);

        var signer = await KeyVaultNamedKey.GetOrCreateAsync(_bed.Vault.CreateClient(), _bed.NewTable(), "rotation");

        Assert.Equal(provisioned.Id, signer.KeyId);
        Assert.Equal(1, _bed.Vault.Count("create"));
    }

    [Fact]
    public async Task NewVersionInTheVault_PinnedVersionKept()
    {
        var pinned = await KeyVaultNamedKey.GetOrCreateAsync(_bed.Vault.CreateClient(), _bed.NewTable());
        await _bed.Vault.CreateClient().CreateEcKeyAsync("plc-rotation", KeyType.Secp256k1);

        var later = await KeyVaultNamedKey.GetOrCreateAsync(_bed.Vault.CreateClient(), _bed.NewTable());

        Assert.Equal(pinned.KeyId, later.KeyId);
        await later.SignAsync(Data, CancellationToken.None);
        Assert.EndsWith($"/plc-rotation/{pinned.KeyId.Version}/sign", _bed.Vault.Requests.Last().Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoInstancesRaceOnFirstStart_BothUseTheSameVersion()
    {
        var release = new TaskCompletionSource();
        _bed.Vault.HoldCreates = release.Task;

        var racing = new[]
        {
            KeyVaultNamedKey.GetOrCreateAsync(_bed.Vault.CreateClient(), _bed.NewTable()),
            KeyVaultNamedKey.GetOrCreateAsync(_bed.Vault.CreateClient(), _bed.NewTable()),
        };
        await _bed.WaitForVaultAsync("create", 2);
        release.SetResult();
        var signers = await Task.WhenAll(racing);

        Assert.Equal(signers[0].KeyId, signers[1].KeyId);
        var row = await _bed.RowAsync("named:plc-rotation");
        Assert.Equal(signers[0].KeyId.Version, row!.GetString("VaultKeyVersion"));
    }

    [Fact]
    public async Task RsaKeyUnderTheName_InvalidOperationException()
    {
        await _bed.Vault.CreateClient().CreateRsaKeyAsync("plc-rotation", 2048);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => KeyVaultNamedKey.GetOrCreateAsync(_bed.Vault.CreateClient(), _bed.NewTable()));

        Assert.Contains("not an EC", error.Message, StringComparison.Ordinal);
        Assert.Null(await _bed.RowAsync("named:plc-rotation"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plc_rotation")]
    public async Task InvalidName_ArgumentException_NoRequests(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => KeyVaultNamedKey.GetOrCreateAsync(_bed.Vault.CreateClient(), _bed.NewTable(), name));

        Assert.Empty(_bed.Vault.Requests);
    }
}
