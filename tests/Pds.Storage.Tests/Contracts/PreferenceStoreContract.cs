using System.Text;
using Pds.Core.Storage;

namespace Pds.Storage.Tests.Contracts;

/// <summary>What every <see cref="IPreferenceStore"/> must do.</summary>
public abstract class PreferenceStoreContract : ContractTest
{
    private const string Bsky = "app.bsky";

    protected abstract Task<IPreferenceStore> CreateAsync();

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Put_ThenGet_SameBytes()
    {
        var preferences = await CreateAsync();
        var did = TestIds.Did();

        await preferences.PutAsync(did, Bsky, Json("""{"preferences":[]}"""));

        Assert.Equal(Json("""{"preferences":[]}"""), await preferences.GetAsync(did, Bsky));
        Assert.Null(await preferences.GetAsync(did, "other.scope"));
        Assert.Null(await preferences.GetAsync(TestIds.Did(), Bsky));
    }

    [Fact]
    public async Task Put_Twice_LastWins()
    {
        var preferences = await CreateAsync();
        var did = TestIds.Did();

        await preferences.PutAsync(did, Bsky, Json("[1]"));
        await preferences.PutAsync(did, Bsky, Json("[2]"));

        Assert.Equal(Json("[2]"), await preferences.GetAsync(did, Bsky));
    }

    [Fact]
    public async Task DeleteAll_TwoScopesTwoAccounts_OnlyThatAccountCleared()
    {
        var preferences = await CreateAsync();
        var did = TestIds.Did();
        var other = TestIds.Did();
        await preferences.PutAsync(did, Bsky, Json("[1]"));
        await preferences.PutAsync(did, "chat.bsky", Json("[2]"));
        await preferences.PutAsync(other, Bsky, Json("[3]"));

        await preferences.DeleteAllAsync(did);

        Assert.Null(await preferences.GetAsync(did, Bsky));
        Assert.Null(await preferences.GetAsync(did, "chat.bsky"));
        Assert.Equal(Json("[3]"), await preferences.GetAsync(other, Bsky));
    }
}
