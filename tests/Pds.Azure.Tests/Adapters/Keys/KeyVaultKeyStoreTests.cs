using System.Security.Cryptography;
using System.Text;
using Pds.Azure.Adapters.Keys;
using Pds.Azure.KeyVault;
using Pds.Core.Crypto;
using Pds.Core.Storage;
using Pds.Storage.Tests.Contracts;
using Pds.TestSupport;

namespace Pds.Azure.Tests.Adapters.Keys;

/// <summary>Sign mode: the contract on Azurite + the fake vault, then what only sign mode promises.</summary>
[Collection(KeysAzuriteCollection.Name)]
public sealed class KeyVaultKeyStoreTests(AzuriteFixture azurite) : KeyStoreContract
{
    private static readonly byte[] Data = Encoding.UTF8.GetBytes("commit bytes");

    private KeyStoreBed? _bed;

    protected override async Task<IKeyStore> OpenAsync() => await OpenSignAsync();

    private async Task<KeyStoreBed> BedAsync() => _bed ??= Track(await KeyStoreBed.StartAsync(azurite));

    /// <summary>A new store over the same table and vault, with its own clients: a "restarted" process.</summary>
    private async Task<KeyVaultKeyStore> OpenSignAsync(KeyVaultKeyStoreSettings? settings = null)
    {
        var bed = await BedAsync();
        var store = new KeyVaultKeyStore(bed.Vault.CreateClient(), bed.NewTable(), settings);
        Track(new DisposeAction(store.Dispose));
        return store;
    }

    [Fact]
    public async Task Create_MakesOneP256KVaultKeyNamedFromTheDid()
    {
        var keys = await OpenSignAsync();
        var vault = (await BedAsync()).Vault;
        var did = TestIds.Did();

        var signer = Assert.IsType<KeyVaultSigner>(await keys.CreateAsync(did));

        var create = Assert.Single(vault.Requests, r => r.Path.EndsWith("/create", StringComparison.Ordinal));
        Assert.Equal("P-256K", create.Json.GetProperty("crv").GetString());
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(KeyStoreBed.AccountRow(did))).AsSpan(0, 16));
        Assert.Matches($"^pds-acct-{hash}-[0-9a-f]{{8}}$", signer.KeyId.Name);
        Assert.Equal(vault.EcKey(signer.KeyId.Name).PublicKey, signer.PublicKey);
    }

    [Fact]
    public async Task Sign_OneVaultCallPerSignature_HighSFromVaultComesOutLowS()
    {
        var keys = await OpenSignAsync();
        var vault = (await BedAsync()).Vault;
        var signer = await keys.CreateAsync(TestIds.Did());
        var before = vault.Requests.Count;

        for (var i = 1; i <= 5; i++)
        {
            var signature = await signer.SignAsync(Data, CancellationToken.None);

            Assert.True(LowS.IsLow(KeyType.Secp256k1, signature));
            Assert.True(signer.PublicKey.Verify(Data, signature));
            Assert.Equal(i, vault.Requests.Count - before);
            Assert.EndsWith("/sign", vault.Requests.Last().Path, StringComparison.Ordinal);
        }
        // The fake really answers high S: ask it directly.
        var id = ((KeyVaultSigner)signer).KeyId;
        var raw = await vault.CreateClient().SignAsync(id, "ES256K", SHA256.HashData(Data));
        Assert.False(LowS.IsLow(KeyType.Secp256k1, raw));
    }

    [Fact]
    public async Task Get_AfterRestart_OneTableReadNoVaultCall_ThenCached()
    {
        var did = TestIds.Did();
        var created = await (await OpenSignAsync()).CreateAsync(did);
        var bed = await BedAsync();
        var table = bed.NewTable();
        var restarted = new KeyVaultKeyStore(bed.Vault.CreateClient(), table);
        var before = bed.Vault.Requests.Count;

        var signers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => restarted.GetAsync(did))));
        var again = await restarted.GetAsync(did);

        Assert.Equal(1, table.Requests.Count);
        Assert.Equal(before, bed.Vault.Requests.Count);
        Assert.All(signers, s => Assert.Same(signers[0], s));
        Assert.Same(signers[0], again);
        var signature = await again!.SignAsync(Data, CancellationToken.None);
        Assert.True(created.PublicKey.Verify(Data, signature));
        Assert.Equal(before + 1, bed.Vault.Requests.Count);
    }

    [Fact]
    public async Task Create_TwoInstancesRace_OneKeyWins_LoserVaultKeyDeleted()
    {
        var bed = await BedAsync();
        var (a, b) = (await OpenSignAsync(), await OpenSignAsync());
        var did = TestIds.Did();
        var release = new TaskCompletionSource();
        bed.Vault.HoldCreates = release.Task;

        var racing = new[] { a.CreateAsync(did), b.CreateAsync(did) };
        await bed.WaitForVaultAsync("create", 2);
        release.SetResult();
        var signers = await Task.WhenAll(racing);

        Assert.Equal(signers[0].PublicKey, signers[1].PublicKey);
        var kept = Assert.Single(bed.Vault.KeyNames);
        var deleted = Assert.Single(bed.Vault.DeletedKeyNames);
        Assert.NotEqual(kept, deleted);
        Assert.Equal(bed.Vault.EcKey(kept).PublicKey, signers[0].PublicKey);
        var row = await bed.RowAsync(KeyStoreBed.AccountRow(did));
        Assert.Equal(kept, row!.GetString("VaultKeyName"));
    }

    [Fact]
    public async Task ReserveThenClaim_RebindsTheVaultKeyWithoutVaultCalls()
    {
        var keys = await OpenSignAsync();
        var bed = await BedAsync();
        var (reservation, did) = ("reserved:" + TestIds.Random(10), TestIds.Did());
        var reserved = await keys.ReserveAsync(reservation);
        var before = bed.Vault.Requests.Count;

        Assert.True(await keys.ClaimReservedAsync(reservation, did));
        var signer = Assert.IsType<KeyVaultSigner>(await (await OpenSignAsync()).GetAsync(did));

        Assert.Equal(before, bed.Vault.Requests.Count);
        Assert.Equal(reserved, signer.PublicKey);
        Assert.Equal(Assert.Single(bed.Vault.KeyNames), signer.KeyId.Name);
        Assert.Null(await bed.RowAsync(KeyStoreBed.ReservationRow(reservation)));
        var signature = await signer.SignAsync(Data, CancellationToken.None);
        Assert.True(reserved.Verify(Data, signature));
    }

    [Fact]
    public async Task ClaimReserved_TwoDidsAtOnce_ExactlyOneGetsTheKey()
    {
        var (a, b) = (await OpenSignAsync(), await OpenSignAsync());
        var reservation = "reserved:" + TestIds.Random(10);
        var reserved = await a.ReserveAsync(reservation);
        var (didA, didB) = (TestIds.Did(), TestIds.Did());

        var results = await Task.WhenAll(Task.Run(() => a.ClaimReservedAsync(reservation, didA)), Task.Run(() => b.ClaimReservedAsync(reservation, didB)));

        Assert.Single(results, r => r);
        var reader = await OpenSignAsync();
        var winner = results[0] ? didA : didB;
        var loser = results[0] ? didB : didA;
        Assert.Equal(reserved, (await reader.GetAsync(winner))?.PublicKey);
        Assert.Null(await reader.GetAsync(loser));
    }

    [Fact]
    public async Task ClaimReserved_DidAlreadyHasKey_Throws()
    {
        var keys = await OpenSignAsync();
        var did = TestIds.Did();
        await keys.CreateAsync(did);
        var reservation = "reserved:" + TestIds.Random(10);
        await keys.ReserveAsync(reservation);

        var restarted = await OpenSignAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => restarted.ClaimReservedAsync(reservation, did));
        Assert.NotNull(await (await BedAsync()).RowAsync(KeyStoreBed.ReservationRow(reservation)));
    }

    [Fact]
    public async Task Delete_DeletesTheVaultKey_CachedSignerElsewhereStopsWorking_DidCanStartAgain()
    {
        var bed = await BedAsync();
        var did = TestIds.Did();
        var elsewhere = await (await OpenSignAsync()).CreateAsync(did);
        var name = ((KeyVaultSigner)elsewhere).KeyId.Name;
        var keys = await OpenSignAsync();

        await keys.DeleteAsync(did);
        await keys.DeleteAsync(did);

        Assert.Contains(name, bed.Vault.DeletedKeyNames);
        Assert.Empty(bed.Vault.KeyNames);
        Assert.Null(await bed.RowAsync(KeyStoreBed.AccountRow(did)));
        var error = await Assert.ThrowsAsync<KeyVaultException>(async () => await elsewhere.SignAsync(Data, CancellationToken.None));
        Assert.Equal(404, error.Status);
        // A deleted name stays taken in the vault; the account still gets a new key.
        var again = await keys.CreateAsync(did);
        Assert.NotEqual(elsewhere.PublicKey, again.PublicKey);
    }

    [Fact]
    public async Task Delete_VaultRefuses_RowKept_RetryDeletes()
    {
        var bed = await BedAsync();
        var keys = await OpenSignAsync();
        var did = TestIds.Did();
        await keys.CreateAsync(did);
        bed.Vault.FailNext(403, "Forbidden");

        Assert.Equal(403, (await Assert.ThrowsAsync<KeyVaultException>(() => keys.DeleteAsync(did))).Status);
        Assert.NotNull(await (await OpenSignAsync()).GetAsync(did));

        await keys.DeleteAsync(did);
        Assert.Null(await (await OpenSignAsync()).GetAsync(did));
        Assert.Empty(bed.Vault.KeyNames);
    }

    [Fact]
    public async Task Create_VaultFails_NoRowLeftBehind()
    {
        var bed = await BedAsync();
        var keys = await OpenSignAsync();
        var did = TestIds.Did();
        bed.Vault.FailNext(403, "Forbidden");

        Assert.Equal(403, (await Assert.ThrowsAsync<KeyVaultException>(() => keys.CreateAsync(did))).Status);

        Assert.Null(await bed.RowAsync(KeyStoreBed.AccountRow(did)));
        Assert.NotNull(await keys.CreateAsync(did));
    }

    [Fact]
    public async Task Get_RowWrittenInWrapMode_InvalidDataException()
    {
        var bed = await BedAsync();
        var client = bed.Vault.CreateClient();
        await client.CreateRsaKeyAsync("kek", 2048);
        var did = TestIds.Did();
        using (var wrapped = new WrappedKeyStore(client, bed.NewTable(), new WrappedKeyStoreSettings { WrappingKeyName = "kek" }))
        {
            await wrapped.CreateAsync(did);
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await (await OpenSignAsync()).GetAsync(did));
        Assert.Contains("'wrap' mode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyNamePrefix_UsedForNewKeys_InvalidPrefixRejected()
    {
        var keys = await OpenSignAsync(new KeyVaultKeyStoreSettings { KeyNamePrefix = "pds2-" });

        var signer = (KeyVaultSigner)await keys.CreateAsync(TestIds.Did());

        Assert.StartsWith("pds2-", signer.KeyId.Name, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => OpenSignAsync(new KeyVaultKeyStoreSettings { KeyNamePrefix = "bad_prefix" }));
        await Assert.ThrowsAsync<ArgumentException>(() => OpenSignAsync(new KeyVaultKeyStoreSettings { KeyNamePrefix = new string('p', 65) }));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task EmptyDid_ArgumentException_NoRequests(string? did)
    {
        var keys = await OpenSignAsync();
        var bed = await BedAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => keys.GetAsync(did!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => keys.CreateAsync(did!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => keys.ReserveAsync(did!));
        Assert.Empty(bed.Vault.Requests);
    }

    [Fact]
    public async Task OverlongDid_ArgumentException()
    {
        var keys = await OpenSignAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => keys.CreateAsync("did:web:" + new string('a', 300)));
    }

    [Fact]
    public async Task DidWithForbiddenKeyCharacters_RoundTrips()
    {
        var keys = await OpenSignAsync();
        var did = "did:web:example.com%3A8080#/?x" + TestIds.Random(6);

        var created = await keys.CreateAsync(did);

        Assert.Equal(created.PublicKey, (await (await OpenSignAsync()).GetAsync(did))?.PublicKey);
    }
}
