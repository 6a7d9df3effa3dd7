using Pds.Core.Storage;

namespace Pds.Storage.Tests.Contracts;

/// <summary>What every <see cref="IAccountStore"/> must do. Each test makes its own accounts.</summary>
public abstract class AccountStoreContract : ContractTest
{
    protected abstract Task<IAccountStore> CreateAsync();

    internal static AccountRecord NewAccount() => new(
        TestIds.Did(), TestIds.Handle(), TestIds.Email(), "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
        AccountStatus.Active, new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(1234), InvitedBy: null);

    [Fact]
    public async Task Create_ThenGetByDidHandleEmail_SameRecord()
    {
        var accounts = await CreateAsync();
        var account = NewAccount() with { InvitedBy = TestIds.Did() };

        await accounts.CreateAsync(account);

        Assert.Equal(account, await accounts.GetByDidAsync(account.Did));
        Assert.Equal(account, await accounts.GetByHandleAsync(account.Handle));
        Assert.Equal(account, await accounts.GetByEmailAsync(account.Email!));
    }

    [Fact]
    public async Task GetByHandleOrEmail_DifferentCase_Found()
    {
        var accounts = await CreateAsync();
        var account = NewAccount();
        await accounts.CreateAsync(account with { Handle = account.Handle.ToUpperInvariant(), Email = account.Email!.ToUpperInvariant() });

        Assert.Equal(account.Did, (await accounts.GetByHandleAsync(account.Handle))?.Did);
        Assert.Equal(account.Did, (await accounts.GetByHandleAsync(account.Handle.ToUpperInvariant()))?.Did);
        Assert.Equal(account.Did, (await accounts.GetByEmailAsync(account.Email))?.Did);
    }

    [Fact]
    public async Task Create_WithoutEmail_Allowed()
    {
        var accounts = await CreateAsync();
        var first = NewAccount() with { Email = null };
        var second = NewAccount() with { Email = null };

        await accounts.CreateAsync(first);
        await accounts.CreateAsync(second);

        Assert.Null((await accounts.GetByDidAsync(second.Did))?.Email);
    }

    [Fact]
    public async Task Create_HandleTakenInOtherCase_ThrowsHandleConflict()
    {
        var accounts = await CreateAsync();
        var first = NewAccount();
        await accounts.CreateAsync(first);

        var error = await Assert.ThrowsAsync<AccountConflictException>(
            () => accounts.CreateAsync(NewAccount() with { Handle = first.Handle.ToUpperInvariant() }));

        Assert.Equal("handle", error.Field);
    }

    [Fact]
    public async Task Create_EmailTakenInOtherCase_ThrowsEmailConflict()
    {
        var accounts = await CreateAsync();
        var first = NewAccount();
        await accounts.CreateAsync(first);

        var error = await Assert.ThrowsAsync<AccountConflictException>(
            () => accounts.CreateAsync(NewAccount() with { Email = first.Email!.ToUpperInvariant() }));

        Assert.Equal("email", error.Field);
    }

    [Fact]
    public async Task Create_DidTaken_ThrowsDidConflictAndKeepsFirst()
    {
        var accounts = await CreateAsync();
        var first = NewAccount();
        await accounts.CreateAsync(first);

        var error = await Assert.ThrowsAsync<AccountConflictException>(() => accounts.CreateAsync(NewAccount() with { Did = first.Did }));

        Assert.Equal("did", error.Field);
        Assert.Equal(first, await accounts.GetByDidAsync(first.Did));
    }

    [Fact]
    public async Task UpdateHandle_Free_MovesHandleAndFreesOldOne()
    {
        var accounts = await CreateAsync();
        var account = NewAccount();
        await accounts.CreateAsync(account);
        var handle = TestIds.Handle();

        await accounts.UpdateHandleAsync(account.Did, handle.ToUpperInvariant());

        Assert.Equal(account.Did, (await accounts.GetByHandleAsync(handle))?.Did);
        Assert.Null(await accounts.GetByHandleAsync(account.Handle));
        await accounts.CreateAsync(NewAccount() with { Handle = account.Handle });
    }

    [Fact]
    public async Task UpdateHandle_TakenByAnother_ThrowsHandleConflict()
    {
        var accounts = await CreateAsync();
        var first = NewAccount();
        var second = NewAccount();
        await accounts.CreateAsync(first);
        await accounts.CreateAsync(second);

        var error = await Assert.ThrowsAsync<AccountConflictException>(() => accounts.UpdateHandleAsync(second.Did, first.Handle));

        Assert.Equal("handle", error.Field);
        Assert.Equal(second.Handle, (await accounts.GetByDidAsync(second.Did))?.Handle);
    }

    [Fact]
    public async Task UpdateHandle_OwnHandle_NoConflict()
    {
        var accounts = await CreateAsync();
        var account = NewAccount();
        await accounts.CreateAsync(account);

        await accounts.UpdateHandleAsync(account.Did, account.Handle);

        Assert.Equal(account.Handle, (await accounts.GetByDidAsync(account.Did))?.Handle);
    }

    [Fact]
    public async Task UpdateEmail_TakenByAnother_ThrowsEmailConflict()
    {
        var accounts = await CreateAsync();
        var first = NewAccount();
        var second = NewAccount();
        await accounts.CreateAsync(first);
        await accounts.CreateAsync(second);

        var error = await Assert.ThrowsAsync<AccountConflictException>(() => accounts.UpdateEmailAsync(second.Did, first.Email!));

        Assert.Equal("email", error.Field);
    }

    [Fact]
    public async Task UpdatePasswordEmailStatus_Existing_Persisted()
    {
        var accounts = await CreateAsync();
        var account = NewAccount();
        await accounts.CreateAsync(account);
        var email = TestIds.Email();

        await accounts.UpdatePasswordAsync(account.Did, "new-hash");
        await accounts.UpdateEmailAsync(account.Did, email);
        await accounts.UpdateStatusAsync(account.Did, AccountStatus.Takendown, deactivated: false);

        var expected = account with { PasswordHash = "new-hash", Email = email, Status = AccountStatus.Takendown };
        Assert.Equal(expected, await accounts.GetByDidAsync(account.Did));
        Assert.Null(await accounts.GetByEmailAsync(account.Email!));
    }

    [Theory]
    [InlineData(AccountStatus.Active)]
    [InlineData(AccountStatus.Deactivated)]
    [InlineData(AccountStatus.Takendown)]
    [InlineData(AccountStatus.Suspended)]
    [InlineData(AccountStatus.Deleted)]
    public async Task UpdateStatus_EachStatus_RoundTrips(AccountStatus status)
    {
        var accounts = await CreateAsync();
        var account = NewAccount();
        await accounts.CreateAsync(account);

        await accounts.UpdateStatusAsync(account.Did, status, deactivated: false);

        Assert.Equal(status, (await accounts.GetByDidAsync(account.Did))?.Status);
    }

    /// <summary>A takedown hides the holder's deactivation; the store keeps both, and create stores the flag too.</summary>
    [Fact]
    public async Task UpdateStatus_DeactivatedUnderTakedown_KeptApartFromStatus()
    {
        var accounts = await CreateAsync();
        var account = NewAccount();
        await accounts.CreateAsync(account);

        await accounts.UpdateStatusAsync(account.Did, AccountStatus.Takendown, deactivated: true);

        Assert.Equal(account with { Status = AccountStatus.Takendown, Deactivated = true }, await accounts.GetByDidAsync(account.Did));
        await accounts.UpdateStatusAsync(account.Did, AccountStatus.Deactivated, deactivated: true);
        Assert.Equal(account with { Status = AccountStatus.Deactivated, Deactivated = true }, await accounts.GetByDidAsync(account.Did));
        await accounts.UpdateStatusAsync(account.Did, AccountStatus.Active, deactivated: false);
        Assert.Equal(account, await accounts.GetByDidAsync(account.Did));

        var created = NewAccount() with { Status = AccountStatus.Deactivated, Deactivated = true };
        await accounts.CreateAsync(created);
        Assert.Equal(created, await accounts.GetByDidAsync(created.Did));
    }

    [Fact]
    public async Task List_SeveralAccounts_PagesByDid()
    {
        var accounts = await CreateAsync();
        var created = Enumerable.Range(0, 5).Select(_ => NewAccount()).ToList();
        foreach (var account in created)
        {
            await accounts.CreateAsync(account);
        }

        var seen = (await Paging.AllAsync(2, (string?)null, c => accounts.ListAsync(2, c), a => a.Did)).Select(a => a.Did).ToList();

        var dids = created.Select(a => a.Did).ToHashSet();
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
        Assert.Equal(dids.Order(StringComparer.Ordinal), seen.Where(dids.Contains));
    }

    [Fact]
    public async Task Delete_Existing_GoneAndHandleFree()
    {
        var accounts = await CreateAsync();
        var account = NewAccount();
        await accounts.CreateAsync(account);

        await accounts.DeleteAsync(account.Did);

        Assert.Null(await accounts.GetByDidAsync(account.Did));
        Assert.Null(await accounts.GetByHandleAsync(account.Handle));
        await accounts.CreateAsync(NewAccount() with { Handle = account.Handle, Email = account.Email });
    }
}
