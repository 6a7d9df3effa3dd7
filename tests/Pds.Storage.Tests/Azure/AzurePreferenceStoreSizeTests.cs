using Pds.Azure.Adapters;
using Pds.Azure.Adapters.Preferences;
using Pds.Storage.Tests.Contracts;
using Pds.TestSupport;

namespace Pds.Storage.Tests.Azure;

/// <summary>Beyond the contract for <see cref="AzurePreferenceStore"/>: documents larger than one binary property.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzurePreferenceStoreSizeTests(AzuriteFixture azurite)
{
    private async Task<AzurePreferenceStore> NewAsync() => new(await AzureTables.CreateAsync(azurite, "preferences"));

    private static byte[] Document(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task Put_LargeThenSmall_EachReadBackExactly()
    {
        var preferences = await NewAsync();
        var did = TestIds.Did();
        var large = Document(300 * 1024);
        var small = Document(10);

        await preferences.PutAsync(did, "app.bsky", large);
        Assert.Equal(large, await preferences.GetAsync(did, "app.bsky"));

        await preferences.PutAsync(did, "app.bsky", small);
        Assert.Equal(small, await preferences.GetAsync(did, "app.bsky"));
    }

    [Fact]
    public async Task Put_LargerThanOneEntity_ArgumentExceptionAndOldKept()
    {
        var preferences = await NewAsync();
        var did = TestIds.Did();
        await preferences.PutAsync(did, "app.bsky", Document(5));
        var kept = await preferences.GetAsync(did, "app.bsky");

        await Assert.ThrowsAnyAsync<ArgumentException>(() => preferences.PutAsync(did, "app.bsky", Document(EntityBytes.MaxBytes + 1)));

        Assert.Equal(kept, await preferences.GetAsync(did, "app.bsky"));
    }

    [Fact]
    public async Task DeleteAll_MoreScopesThanOneTransaction_AllGone()
    {
        var preferences = await NewAsync();
        var did = TestIds.Did();
        var scopes = Enumerable.Range(0, 120).Select(i => $"scope/{i}").ToList();
        await Task.WhenAll(scopes.Select(s => preferences.PutAsync(did, s, Document(3))));

        await preferences.DeleteAllAsync(did);

        Assert.Null(await preferences.GetAsync(did, scopes[0]));
        Assert.Null(await preferences.GetAsync(did, scopes[^1]));
    }
}
