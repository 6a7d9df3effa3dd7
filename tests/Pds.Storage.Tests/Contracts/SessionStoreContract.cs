using Pds.Core.Storage;

namespace Pds.Storage.Tests.Contracts;

/// <summary>What every <see cref="ISessionStore"/> must do. Each test uses its own DIDs and token ids.</summary>
public abstract class SessionStoreContract : ContractTest
{
    private static readonly DateTimeOffset Expiry = new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(5);

    protected abstract Task<ISessionStore> CreateAsync();

    private static RefreshTokenRecord NewToken(string did, string? appPassword = null) =>
        new(TestIds.Random(20), did, appPassword, Expiry);

    [Fact]
    public async Task CreateRefreshToken_ThenGet_SameRecord()
    {
        var sessions = await CreateAsync();
        var token = NewToken(TestIds.Did(), "my app");

        await sessions.CreateRefreshTokenAsync(token);

        Assert.Equal(token, await sessions.GetRefreshTokenAsync(token.Id));
        Assert.Null(await sessions.GetRefreshTokenAsync(TestIds.Random(20)));
    }

    [Fact]
    public async Task RotateRefreshToken_Once_RecordsNextAndRejectsReplay()
    {
        var sessions = await CreateAsync();
        var token = NewToken(TestIds.Did());
        await sessions.CreateRefreshTokenAsync(token);

        Assert.True(await sessions.RotateRefreshTokenAsync(token.Id, "next-1"));
        Assert.False(await sessions.RotateRefreshTokenAsync(token.Id, "next-2"));

        Assert.Equal("next-1", (await sessions.GetRefreshTokenAsync(token.Id))?.NextId);
    }

    [Fact]
    public async Task RotateRefreshToken_EightConcurrent_ExactlyOneWins()
    {
        var sessions = await CreateAsync();
        var token = NewToken(TestIds.Did());
        await sessions.CreateRefreshTokenAsync(token);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => sessions.RotateRefreshTokenAsync(token.Id, $"next-{i}"))));

        Assert.Equal(1, outcomes.Count(won => won));
        Assert.Equal($"next-{Array.IndexOf(outcomes, true)}", (await sessions.GetRefreshTokenAsync(token.Id))?.NextId);
    }

    [Fact]
    public async Task RotateRefreshToken_UnknownOrDeleted_False()
    {
        var sessions = await CreateAsync();
        var token = NewToken(TestIds.Did());
        await sessions.CreateRefreshTokenAsync(token);
        await sessions.DeleteRefreshTokenAsync(token.Id);

        Assert.False(await sessions.RotateRefreshTokenAsync(token.Id, "next"));
        Assert.False(await sessions.RotateRefreshTokenAsync(TestIds.Random(20), "next"));
    }

    [Fact]
    public async Task DeleteRefreshTokensForAccount_TwoAccounts_OnlyThatAccountsTokensGone()
    {
        var sessions = await CreateAsync();
        var did = TestIds.Did();
        var mine = new[] { NewToken(did), NewToken(did) };
        var theirs = NewToken(TestIds.Did());
        foreach (var token in mine.Append(theirs))
        {
            await sessions.CreateRefreshTokenAsync(token);
        }

        await sessions.DeleteRefreshTokensForAccountAsync(did);

        Assert.Null(await sessions.GetRefreshTokenAsync(mine[0].Id));
        Assert.Null(await sessions.GetRefreshTokenAsync(mine[1].Id));
        Assert.Equal(theirs, await sessions.GetRefreshTokenAsync(theirs.Id));
    }

    [Fact]
    public async Task CreateAppPassword_ThenList_InCreationOrder()
    {
        var sessions = await CreateAsync();
        var did = TestIds.Did();
        var first = new AppPasswordRecord(did, "phone", "hash-1", Privileged: false, Expiry.AddDays(-2));
        var second = new AppPasswordRecord(did, "laptop", "hash-2", Privileged: true, Expiry.AddDays(-1));
        await sessions.CreateAppPasswordAsync(first);
        await sessions.CreateAppPasswordAsync(second);
        await sessions.CreateAppPasswordAsync(first with { Did = TestIds.Did() });

        Assert.Equal([first, second], await sessions.ListAppPasswordsAsync(did));
    }

    [Fact]
    public async Task CreateAppPassword_NameTaken_ThrowsNameConflict()
    {
        var sessions = await CreateAsync();
        var did = TestIds.Did();
        var first = new AppPasswordRecord(did, "phone", "hash-1", false, Expiry);
        await sessions.CreateAppPasswordAsync(first);

        var error = await Assert.ThrowsAsync<AccountConflictException>(
            () => sessions.CreateAppPasswordAsync(first with { PasswordHash = "hash-2" }));

        Assert.Equal("name", error.Field);
        Assert.Equal([first], await sessions.ListAppPasswordsAsync(did));
    }

    [Fact]
    public async Task DeleteAppPassword_ExistingThenAgain_TrueThenFalse()
    {
        var sessions = await CreateAsync();
        var did = TestIds.Did();
        await sessions.CreateAppPasswordAsync(new AppPasswordRecord(did, "phone", "hash", false, Expiry));

        Assert.True(await sessions.DeleteAppPasswordAsync(did, "phone"));
        Assert.False(await sessions.DeleteAppPasswordAsync(did, "phone"));
        Assert.Empty(await sessions.ListAppPasswordsAsync(did));
    }
}
