using System.Buffers.Text;
using System.Text;
using Pds.Azure.Adapters.Keys;
using Pds.Azure.KeyVault;
using Pds.Azure.Storage;
using Pds.Azure.Tests.KeyVault;
using Pds.Core.Crypto;
using Pds.Core.Storage;
using Pds.Storage.Tests.Contracts;
using Pds.TestSupport;

namespace Pds.Azure.Tests.Adapters.Keys;

/// <summary>Wrap mode: the contract on Azurite + the fake vault, then what only wrap mode promises.</summary>
[Collection(KeysAzuriteCollection.Name)]
public sealed class WrappedKeyStoreTests(AzuriteFixture azurite) : KeyStoreContract
{
    private const string Kek = "pds-kek";
    private static readonly byte[] Data = Encoding.UTF8.GetBytes("commit bytes");

    private KeyStoreBed? _bed;

    protected override async Task<IKeyStore> OpenAsync() => await OpenWrapAsync();

    private async Task<KeyStoreBed> BedAsync()
    {
        if (_bed is null)
        {
            _bed = Track(await KeyStoreBed.StartAsync(azurite));
            await _bed.Vault.CreateClient().CreateRsaKeyAsync(Kek, 2048);
        }
        return _bed;
    }

    /// <summary>A new store over the same table and vault, with its own clients: a "restarted" process.</summary>
    private async Task<WrappedKeyStore> OpenWrapAsync(string wrappingKey = Kek, string? version = null, TableClient? table = null)
    {
        var bed = await BedAsync();
        var store = new WrappedKeyStore(bed.Vault.CreateClient(), table ?? bed.NewTable(),
            new WrappedKeyStoreSettings { WrappingKeyName = wrappingKey, WrappingKeyVersion = version });
        Track(new DisposeAction(store.Dispose));
        return store;
    }

    private async Task<IReadOnlyList<RecordedRequest>> VaultRequestsDuringAsync(Func<Task> action)
    {
        var vault = (await BedAsync()).Vault;
        var before = vault.Requests.Count;
        await action();
        return vault.Requests.Skip(before).ToArray();
    }

    [Fact]
    public async Task Create_OneKeyReadPerStore_NoWrapCall_ScalarNeverSentToTheVault()
    {
        var keys = await OpenWrapAsync();
        var created = new List<Keypair>();

        var requests = await VaultRequestsDuringAsync(async () =>
        {
            for (var i = 0; i < 3; i++)
            {
                created.Add(Assert.IsType<Keypair>(await keys.CreateAsync(TestIds.Did())));
            }
        });

        var get = Assert.Single(requests);
        Assert.Equal(("GET", $"/keys/{Kek}"), (get.Method, get.Path));
        foreach (var key in created)
        {
            var scalar = Base64Url.EncodeToString(key.ExportPrivateKey());
            Assert.DoesNotContain((await BedAsync()).Vault.Requests, r => r.Body.Contains(scalar, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Sign_NoVaultCalls_LowS()
    {
        var signer = await (await OpenWrapAsync()).CreateAsync(TestIds.Did());

        var requests = await VaultRequestsDuringAsync(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                var signature = await signer.SignAsync(Data, CancellationToken.None);
                Assert.True(LowS.IsLow(KeyType.Secp256k1, signature));
                Assert.True(signer.PublicKey.Verify(Data, signature));
            }
        });

        Assert.Empty(requests);
    }

    [Fact]
    public async Task Get_AfterRestart_OneUnwrapPerKey_EvenWhenConcurrent()
    {
        var writer = await OpenWrapAsync();
        var dids = Enumerable.Range(0, 3).Select(_ => TestIds.Did()).ToArray();
        var created = new Dictionary<string, PublicKey>();
        foreach (var did in dids)
        {
            created[did] = (await writer.CreateAsync(did)).PublicKey;
        }
        var table = (await BedAsync()).NewTable();
        var restarted = await OpenWrapAsync(table: table);

        var requests = await VaultRequestsDuringAsync(async () =>
        {
            await Task.WhenAll(dids.SelectMany(did => Enumerable.Range(0, 8).Select(_ => Task.Run(() => restarted.GetAsync(did)))));
            foreach (var did in dids)
            {
                var signer = await restarted.GetAsync(did);
                var signature = await signer!.SignAsync(Data, CancellationToken.None);
                Assert.True(created[did].Verify(Data, signature));
            }
        });

        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.EndsWith("/unwrapkey", r.Path, StringComparison.Ordinal));
        Assert.Equal(3, table.Requests.Count);
    }

    [Fact]
    public async Task AtRest_OnlyTheWrappedScalar()
    {
        var did = TestIds.Did();
        var key = (Keypair)await (await OpenWrapAsync()).CreateAsync(did);
        var scalar = key.ExportPrivateKey();

        var row = await (await BedAsync()).RowAsync(KeyStoreBed.AccountRow(did));

        Assert.NotNull(row);
        Assert.Equal(256, row.GetBinary("Wrapped")!.Length);
        Assert.Equal(Kek, row.GetString("WrappingKeyName"));
        foreach (var value in row.Properties.Values.OfType<byte[]>())
        {
            Assert.Equal(-1, value.AsSpan().IndexOf(scalar));
        }
    }

    [Fact]
    public async Task Get_WrappedRowCopiedToAnotherDid_KeyWrappingException()
    {
        var bed = await BedAsync();
        var (victim, attacker) = (TestIds.Did(), TestIds.Did());
        await (await OpenWrapAsync()).CreateAsync(victim);
        await CopyRowAsync(bed, KeyStoreBed.AccountRow(victim), KeyStoreBed.AccountRow(attacker));

        var error = await Assert.ThrowsAsync<KeyWrappingException>(async () => await (await OpenWrapAsync()).GetAsync(attacker));
        Assert.Contains("another owner", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ReservedRowCopiedToAnAccount_KeyWrappingException()
    {
        var bed = await BedAsync();
        var (reservation, did) = ("reserved:" + TestIds.Random(10), TestIds.Did());
        await (await OpenWrapAsync()).ReserveAsync(reservation);
        await CopyRowAsync(bed, KeyStoreBed.ReservationRow(reservation), KeyStoreBed.AccountRow(did));

        await Assert.ThrowsAsync<KeyWrappingException>(async () => await (await OpenWrapAsync()).GetAsync(did));
    }

    [Fact]
    public async Task Get_WrappedBytesAltered_KeyWrappingException()
    {
        var bed = await BedAsync();
        var did = TestIds.Did();
        await (await OpenWrapAsync()).CreateAsync(did);
        var row = (await bed.RowAsync(KeyStoreBed.AccountRow(did)))!;
        row.GetBinary("Wrapped")![100] ^= 1;
        await bed.NewTable().UpsertAsync(row);

        var error = await Assert.ThrowsAsync<KeyWrappingException>(async () => await (await OpenWrapAsync()).GetAsync(did));
        Assert.Equal(400, Assert.IsType<KeyVaultException>(error.InnerException).Status);
    }

    [Fact]
    public async Task Get_StoredPublicKeyAltered_KeyWrappingException()
    {
        var bed = await BedAsync();
        var did = TestIds.Did();
        await (await OpenWrapAsync()).CreateAsync(did);
        var row = (await bed.RowAsync(KeyStoreBed.AccountRow(did)))!;
        using var other = Keypair.Generate(KeyType.Secp256k1);
        row.Set("PublicKey", other.PublicKey.ToCompressed());
        await bed.NewTable().UpsertAsync(row);

        await Assert.ThrowsAsync<KeyWrappingException>(async () => await (await OpenWrapAsync()).GetAsync(did));
    }

    [Fact]
    public async Task ReserveThenClaim_OneUnwrapRewrappedForTheDid_ThenOpensAfterRestart()
    {
        var keys = await OpenWrapAsync();
        var (reservation, did) = ("reserved:" + TestIds.Random(10), TestIds.Did());
        var reserved = await keys.ReserveAsync(reservation);

        var requests = await VaultRequestsDuringAsync(async () =>
        {
            Assert.True(await keys.ClaimReservedAsync(reservation, did));
            Assert.Equal(reserved, (await keys.GetAsync(did))?.PublicKey);
        });
        var afterRestart = await VaultRequestsDuringAsync(async () => Assert.Equal(reserved, (await (await OpenWrapAsync()).GetAsync(did))?.PublicKey));

        Assert.Equal("/unwrapkey", "/" + Assert.Single(requests).Path.Split('/')[^1]);
        Assert.EndsWith("/unwrapkey", Assert.Single(afterRestart).Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyWrappingKey_FirstRunWritesCheck_LaterRunsUnwrapIt()
    {
        await (await OpenWrapAsync()).VerifyWrappingKeyAsync();

        var requests = await VaultRequestsDuringAsync(async () => await (await OpenWrapAsync()).VerifyWrappingKeyAsync());

        Assert.Equal(["GET", "POST"], requests.Select(r => r.Method));
        Assert.EndsWith("/unwrapkey", requests[1].Path, StringComparison.Ordinal);
        Assert.NotNull(await (await BedAsync()).RowAsync("check:wrapping-key"));
    }

    [Fact]
    public async Task AbsentWrappingKey_VerifyAndCreateFailClearly()
    {
        var keys = await OpenWrapAsync(wrappingKey: "no-such-key");

        var verify = await Assert.ThrowsAsync<KeyWrappingException>(() => keys.VerifyWrappingKeyAsync());
        var create = await Assert.ThrowsAsync<KeyWrappingException>(() => keys.CreateAsync(TestIds.Did()));

        Assert.Contains("'no-such-key'", verify.Message, StringComparison.Ordinal);
        Assert.Contains("404", create.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrappingKeyDeleted_VerifyAndGetFailClearly()
    {
        var bed = await BedAsync();
        var did = TestIds.Did();
        var first = await OpenWrapAsync();
        await first.VerifyWrappingKeyAsync();
        await first.CreateAsync(did);
        // Someone deletes the wrapping key and makes another one; rows wrapped under the first stay unreadable.
        var client = bed.Vault.CreateClient();
        await client.DeleteKeyAsync(Kek);
        await client.CreateRsaKeyAsync("pds-kek-2", 2048);
        var keys = await OpenWrapAsync(wrappingKey: "pds-kek-2");

        var verify = await Assert.ThrowsAsync<KeyWrappingException>(() => keys.VerifyWrappingKeyAsync());
        var get = await Assert.ThrowsAsync<KeyWrappingException>(() => keys.GetAsync(did));

        Assert.Contains("wrong", verify.Message + get.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Kek, get.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrappingKeyNotAnRsaWrapKey_KeyWrappingException()
    {
        var bed = await BedAsync();
        await bed.Vault.CreateClient().CreateEcKeyAsync("ec-key", KeyType.P256);
        bed.Vault.AddRsaKey("encrypt-only", 2048, "encrypt", "decrypt");
        bed.Vault.AddRsaKey("small", 1024, "wrapKey", "unwrapKey");

        foreach (var (name, expected) in new[] { ("ec-key", "not RSA"), ("encrypt-only", "wrapKey"), ("small", "1024-bit") })
        {
            var error = await Assert.ThrowsAsync<KeyWrappingException>(async () => await (await OpenWrapAsync(wrappingKey: name)).VerifyWrappingKeyAsync());
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WrappingKeyRotatedInTheVault_OldRowsStillOpen_NewRowsUseTheNewVersion()
    {
        var bed = await BedAsync();
        var old = TestIds.Did();
        var oldKey = await (await OpenWrapAsync()).CreateAsync(old);
        var rotated = await bed.Vault.CreateClient().CreateRsaKeyAsync(Kek, 2048);

        var keys = await OpenWrapAsync();
        var fresh = TestIds.Did();
        await keys.CreateAsync(fresh);

        Assert.Equal(oldKey.PublicKey, (await keys.GetAsync(old))?.PublicKey);
        Assert.Equal(rotated.Id.Version, (await bed.RowAsync(KeyStoreBed.AccountRow(fresh)))!.GetString("WrappingKeyVersion"));
        Assert.NotEqual(rotated.Id.Version, (await bed.RowAsync(KeyStoreBed.AccountRow(old)))!.GetString("WrappingKeyVersion"));
    }

    [Fact]
    public async Task PinnedWrappingKeyVersion_UsedForNewRows()
    {
        var bed = await BedAsync();
        var pinned = await bed.Vault.CreateClient().GetKeyAsync(Kek);
        await bed.Vault.CreateClient().CreateRsaKeyAsync(Kek, 2048);
        var did = TestIds.Did();

        await (await OpenWrapAsync(version: pinned.Id.Version)).CreateAsync(did);

        Assert.Equal(pinned.Id.Version, (await bed.RowAsync(KeyStoreBed.AccountRow(did)))!.GetString("WrappingKeyVersion"));
    }

    [Fact]
    public async Task Get_RowWrittenInSignMode_InvalidDataException()
    {
        var bed = await BedAsync();
        var did = TestIds.Did();
        using (var sign = new KeyVaultKeyStore(bed.Vault.CreateClient(), bed.NewTable()))
        {
            await sign.CreateAsync(did);
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await (await OpenWrapAsync()).GetAsync(did));
        Assert.Contains("'sign' mode", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad_name")]
    public async Task Constructor_InvalidWrappingKeyName_Throws(string name)
    {
        var bed = await BedAsync();

        Assert.Throws<ArgumentException>(() => new WrappedKeyStore(bed.Vault.CreateClient(), bed.NewTable(), new WrappedKeyStoreSettings { WrappingKeyName = name }));
    }

    [Fact]
    public async Task Dispose_ZeroesCachedKeys()
    {
        var keys = await OpenWrapAsync();
        var key = (Keypair)await keys.CreateAsync(TestIds.Did());

        keys.Dispose();

        Assert.Throws<ObjectDisposedException>(() => key.ExportPrivateKey());
    }

    private static async Task CopyRowAsync(KeyStoreBed bed, string fromRowKey, string toRowKey)
    {
        var from = (await bed.RowAsync(fromRowKey))!;
        var copy = new TableEntity(from.PartitionKey, toRowKey);
        foreach (var (name, value) in from.Properties)
        {
            copy.Set(name, value);
        }
        await bed.NewTable().InsertAsync(copy);
    }
}
