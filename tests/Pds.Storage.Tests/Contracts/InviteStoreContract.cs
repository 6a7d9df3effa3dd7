using Pds.Core.Storage;

namespace Pds.Storage.Tests.Contracts;

/// <summary>What every <see cref="IInviteStore"/> must do. Each test makes its own codes.</summary>
public abstract class InviteStoreContract : ContractTest
{
    private static readonly DateTimeOffset Created = new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero).AddTicks(7);

    protected abstract Task<IInviteStore> CreateAsync();

    private static InviteCodeRecord NewCode(int uses, string? forAccount = null) =>
        new("test-" + TestIds.Random(10), uses, forAccount ?? TestIds.Did(), "admin", Created, Disabled: false, []);

    [Fact]
    public async Task Create_ThenGet_SameCodeWithNoUses()
    {
        var invites = await CreateAsync();
        var code = NewCode(3);

        await invites.CreateAsync(code);

        var stored = await invites.GetAsync(code.Code);
        Assert.NotNull(stored);
        Assert.Equal(code with { Uses = stored.Uses }, stored);
        Assert.Empty(stored.Uses);
        Assert.Null(await invites.GetAsync("test-" + TestIds.Random(10)));
    }

    [Fact]
    public async Task TryUse_UntilUsedUp_TrueThenFalseAndUsesRecorded()
    {
        var invites = await CreateAsync();
        var code = NewCode(2);
        await invites.CreateAsync(code);
        var (alice, bob) = (TestIds.Did(), TestIds.Did());

        Assert.True(await invites.TryUseAsync(code.Code, alice, Created.AddHours(1)));
        Assert.True(await invites.TryUseAsync(code.Code, bob, Created.AddHours(2)));
        Assert.False(await invites.TryUseAsync(code.Code, TestIds.Did(), Created.AddHours(3)));

        var stored = await invites.GetAsync(code.Code);
        Assert.Equal([new InviteUse(alice, Created.AddHours(1)), new InviteUse(bob, Created.AddHours(2))], stored!.Uses);
    }

    [Fact]
    public async Task TryUse_TwelveConcurrentOnThreeUses_ExactlyThreeSucceed()
    {
        var invites = await CreateAsync();
        var code = NewCode(3);
        await invites.CreateAsync(code);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            Task.Run(() => invites.TryUseAsync(code.Code, TestIds.Did(), Created))));

        Assert.Equal(3, outcomes.Count(used => used));
        Assert.Equal(3, (await invites.GetAsync(code.Code))!.Uses.Count);
    }

    [Fact]
    public async Task TryUse_DisabledOrUnknown_False()
    {
        var invites = await CreateAsync();
        var code = NewCode(5);
        await invites.CreateAsync(code);

        await invites.DisableAsync(code.Code);

        Assert.True((await invites.GetAsync(code.Code))!.Disabled);
        Assert.False(await invites.TryUseAsync(code.Code, TestIds.Did(), Created));
        Assert.False(await invites.TryUseAsync("test-" + TestIds.Random(10), TestIds.Did(), Created));
        Assert.Empty((await invites.GetAsync(code.Code))!.Uses);
    }

    [Fact]
    public async Task ListForAccount_SeveralCodes_OnlyThatAccountsWithUses()
    {
        var invites = await CreateAsync();
        var owner = TestIds.Did();
        var first = NewCode(1, owner);
        var second = NewCode(2, owner) with { CreatedAt = Created.AddMinutes(1) };
        await invites.CreateAsync(first);
        await invites.CreateAsync(second);
        await invites.CreateAsync(NewCode(1));
        var user = TestIds.Did();
        await invites.TryUseAsync(second.Code, user, Created.AddDays(1));

        var listed = await invites.ListForAccountAsync(owner);

        // The interface promises no order.
        Assert.Equal(new[] { first.Code, second.Code }.Order(StringComparer.Ordinal), listed.Select(c => c.Code).Order(StringComparer.Ordinal));
        Assert.Empty(listed.Single(c => c.Code == first.Code).Uses);
        Assert.Equal([new InviteUse(user, Created.AddDays(1))], listed.Single(c => c.Code == second.Code).Uses);
    }
}
