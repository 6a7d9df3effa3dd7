using Pds.Azure.Adapters.Sessions;
using Pds.Core.Storage;
using Pds.Storage.Tests.Contracts;
using Pds.TestSupport;

namespace Pds.Storage.Tests.Azure;

/// <summary>Beyond the contract for <see cref="AzureSessionStore"/>: escaped keys and deletes larger than one transaction.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureSessionStoreKeyTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Expiry = new(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);

    private async Task<AzureSessionStore> NewAsync() => new(await AzureTables.CreateAsync(azurite, "sessions"));

    [Fact]
    public async Task IdsAndNames_NeedingKeyEscaping_RoundTrip()
    {
        var sessions = await NewAsync();
        var did = "did:web:host%3A8080";
        var token = new RefreshTokenRecord("id/with?odd#chars\\%", did, "app/name?", Expiry);
        var appPassword = new AppPasswordRecord(did, "my phone / #1?", "hash", Privileged: true, Expiry);

        await sessions.CreateRefreshTokenAsync(token);
        await sessions.CreateAppPasswordAsync(appPassword);

        Assert.Equal(token, await sessions.GetRefreshTokenAsync(token.Id));
        Assert.True(await sessions.RotateRefreshTokenAsync(token.Id, "next/id"));
        Assert.Equal([appPassword], await sessions.ListAppPasswordsAsync(did));
        Assert.True(await sessions.DeleteAppPasswordAsync(did, appPassword.Name));
    }

    [Fact]
    public async Task DeleteRefreshTokensForAccount_MoreThanOneTransaction_AllGoneOthersKept()
    {
        var sessions = await NewAsync();
        var did = TestIds.Did();
        var mine = Enumerable.Range(0, 130).Select(_ => new RefreshTokenRecord(TestIds.Random(20), did, null, Expiry)).ToList();
        var theirs = new RefreshTokenRecord(TestIds.Random(20), TestIds.Did(), null, Expiry);
        await Task.WhenAll(mine.Append(theirs).Select(t => sessions.CreateRefreshTokenAsync(t)));

        await sessions.DeleteRefreshTokensForAccountAsync(did);

        Assert.Null(await sessions.GetRefreshTokenAsync(mine[0].Id));
        Assert.Null(await sessions.GetRefreshTokenAsync(mine[^1].Id));
        Assert.Equal(theirs, await sessions.GetRefreshTokenAsync(theirs.Id));
    }

    [Fact]
    public async Task CreateRefreshToken_SameIdTwice_InvalidOperation()
    {
        var sessions = await NewAsync();
        var token = new RefreshTokenRecord(TestIds.Random(20), TestIds.Did(), null, Expiry);
        await sessions.CreateRefreshTokenAsync(token);

        await Assert.ThrowsAsync<InvalidOperationException>(() => sessions.CreateRefreshTokenAsync(token with { Did = TestIds.Did() }));

        Assert.Equal(token, await sessions.GetRefreshTokenAsync(token.Id));
    }
}
