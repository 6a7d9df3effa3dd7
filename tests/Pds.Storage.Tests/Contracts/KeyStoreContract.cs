using System.Text;
using Pds.Core.Crypto;
using Pds.Core.Storage;

namespace Pds.Storage.Tests.Contracts;

/// <summary>What every <see cref="IKeyStore"/> must do. Each test uses its own DIDs and reservation ids.</summary>
public abstract class KeyStoreContract : ContractTest
{
    /// <summary>Opens the key store on this test's storage; later calls reopen it (no shared cache), as after a restart.</summary>
    protected abstract Task<IKeyStore> OpenAsync();

    private static readonly byte[] Message = Encoding.UTF8.GetBytes("commit bytes");

    private static async Task AssertSignsForAsync(ISigner signer, PublicKey expected)
    {
        Assert.Equal(expected, signer.PublicKey);
        var signature = await signer.SignAsync(Message, CancellationToken.None);
        Assert.True(expected.Verify(Message, signature));
    }

    [Fact]
    public async Task Create_ThenGet_SameSecp256k1KeyThatSigns()
    {
        var keys = await OpenAsync();
        var did = TestIds.Did();

        var created = await keys.CreateAsync(did);
        var fetched = await keys.GetAsync(did);

        Assert.Equal(KeyType.Secp256k1, created.PublicKey.KeyType);
        Assert.NotNull(fetched);
        await AssertSignsForAsync(fetched, created.PublicKey);
    }

    [Fact]
    public async Task Create_Twice_KeepsTheFirstKey()
    {
        var keys = await OpenAsync();
        var did = TestIds.Did();

        var first = await keys.CreateAsync(did);
        var second = await keys.CreateAsync(did);

        Assert.Equal(first.PublicKey, second.PublicKey);
    }

    [Fact]
    public async Task Create_EightConcurrentForOneDid_OneKey()
    {
        var keys = await OpenAsync();
        var did = TestIds.Did();

        var signers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => keys.CreateAsync(did))));

        Assert.Single(signers.Select(s => s.PublicKey).Distinct());
        Assert.Equal(signers[0].PublicKey, (await keys.GetAsync(did))?.PublicKey);
    }

    [Fact]
    public async Task Create_TwoAccounts_DifferentKeys()
    {
        var keys = await OpenAsync();

        var a = await keys.CreateAsync(TestIds.Did());
        var b = await keys.CreateAsync(TestIds.Did());

        Assert.NotEqual(a.PublicKey, b.PublicKey);
    }

    [Fact]
    public async Task Get_Unknown_Null()
    {
        var keys = await OpenAsync();

        Assert.Null(await keys.GetAsync(TestIds.Did()));
    }

    [Fact]
    public async Task Get_AfterReopen_SameKeyStillSigns()
    {
        var did = TestIds.Did();
        var created = await (await OpenAsync()).CreateAsync(did);

        var reopened = await OpenAsync();
        var fetched = await reopened.GetAsync(did);

        Assert.NotNull(fetched);
        await AssertSignsForAsync(fetched, created.PublicKey);
    }

    [Fact]
    public async Task ReserveThenClaim_AccountGetsTheReservedKey()
    {
        var keys = await OpenAsync();
        var reservation = "reservation-" + TestIds.Random(10);
        var did = TestIds.Did();

        var reserved = await keys.ReserveAsync(reservation);
        Assert.Null(await keys.GetAsync(did));
        Assert.True(await keys.ClaimReservedAsync(reservation, did));

        var signer = await keys.GetAsync(did);
        Assert.NotNull(signer);
        await AssertSignsForAsync(signer, reserved);
        Assert.False(await keys.ClaimReservedAsync(reservation, TestIds.Did()));
    }

    [Fact]
    public async Task Reserve_Twice_SamePublicKey()
    {
        var keys = await OpenAsync();
        var reservation = "reservation-" + TestIds.Random(10);

        var first = await keys.ReserveAsync(reservation);
        var second = await (await OpenAsync()).ReserveAsync(reservation);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Create_KeyReservedUnderTheDid_UsesTheReservedKey()
    {
        var keys = await OpenAsync();
        var did = TestIds.Did();
        var reserved = await keys.ReserveAsync(did);

        var created = await keys.CreateAsync(did);

        Assert.Equal(reserved, created.PublicKey);
        Assert.False(await keys.ClaimReservedAsync(did, TestIds.Did()));
    }

    [Fact]
    public async Task ClaimReserved_NothingReserved_False()
    {
        var keys = await OpenAsync();
        var did = TestIds.Did();

        Assert.False(await keys.ClaimReservedAsync("reservation-" + TestIds.Random(10), did));
        Assert.Null(await keys.GetAsync(did));
    }

    [Fact]
    public async Task Delete_Existing_GoneNowAndAfterReopen()
    {
        var keys = await OpenAsync();
        var did = TestIds.Did();
        await keys.CreateAsync(did);

        await keys.DeleteAsync(did);

        Assert.Null(await keys.GetAsync(did));
        Assert.Null(await (await OpenAsync()).GetAsync(did));
    }
}
