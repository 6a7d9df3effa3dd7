using Pds.Azure.Adapters.Accounts;
using Pds.Azure.Storage;
using Pds.Core.Storage;
using Pds.Storage.Tests.Contracts;
using Pds.TestSupport;

namespace Pds.Storage.Tests.Azure;

/// <summary>
/// What the claim rows of <see cref="AzureAccountStore"/> add beyond the contract: stale claims
/// (as a crashed or foreign writer would leave them) never block anyone, races on one handle
/// have one winner, and handles that need key escaping stay distinct. Also account rows written
/// before the holder's deactivation was stored apart from the status.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureAccountClaimTests(AzuriteFixture azurite)
{
    private async Task<(AzureAccountStore Store, TableClient Table)> NewAsync()
    {
        var table = await AzureTables.CreateAsync(azurite, "accounts");
        return (new AzureAccountStore(table), table);
    }

    /// <summary>A claim row naming <paramref name="owner"/>, written outside the store's transactions.</summary>
    private static Task PlantClaimAsync(TableClient table, AccountClaim claim, string owner) =>
        table.InsertAsync(new TableEntity(AccountRows.Partition, claim.RowKey).Set(AccountRows.Did, owner));

    [Theory]
    [InlineData(AccountStatus.Deactivated, true)]
    [InlineData(AccountStatus.Takendown, false)]
    [InlineData(AccountStatus.Active, false)]
    public async Task Get_RowWithoutDeactivated_TakesItFromTheStatus(AccountStatus status, bool deactivated)
    {
        var (accounts, table) = await NewAsync();
        var account = AccountStoreContract.NewAccount() with { Status = status };
        await accounts.CreateAsync(account);
        var row = (await table.GetEntityAsync(AccountRows.Partition, AccountRows.AccountKey(account.Did)))!;
        row[AccountRows.Deactivated] = null;
        await table.UpsertAsync(row);

        Assert.Equal(account with { Deactivated = deactivated }, await accounts.GetByDidAsync(account.Did));
    }

    [Fact]
    public async Task Create_HandleAndEmailClaimedByMissingAccount_TakesClaimsOver()
    {
        var (accounts, table) = await NewAsync();
        var account = AccountStoreContract.NewAccount();
        var ghost = TestIds.Did();
        await PlantClaimAsync(table, AccountClaim.Handle(account.Handle), ghost);
        await PlantClaimAsync(table, AccountClaim.Email(account.Email!), ghost);
        Assert.Null(await accounts.GetByHandleAsync(account.Handle));

        await accounts.CreateAsync(account);

        Assert.Equal(account, await accounts.GetByHandleAsync(account.Handle));
        Assert.Equal(account, await accounts.GetByEmailAsync(account.Email!));
        var claim = await table.GetEntityAsync(AccountRows.Partition, AccountClaim.Handle(account.Handle).RowKey);
        Assert.Equal(account.Did, claim!.GetString(AccountRows.Did));
    }

    [Fact]
    public async Task UpdateHandle_ClaimNamesAccountThatMovedOn_TakesClaimOver()
    {
        var (accounts, table) = await NewAsync();
        var moved = AccountStoreContract.NewAccount();
        var other = AccountStoreContract.NewAccount();
        await accounts.CreateAsync(moved);
        await accounts.CreateAsync(other);
        var stale = TestIds.Handle();
        await PlantClaimAsync(table, AccountClaim.Handle(stale), moved.Did);
        Assert.Null(await accounts.GetByHandleAsync(stale));

        await accounts.UpdateHandleAsync(other.Did, stale);

        Assert.Equal(other.Did, (await accounts.GetByHandleAsync(stale))?.Did);
        Assert.Equal(moved.Did, (await accounts.GetByHandleAsync(moved.Handle))?.Did);
    }

    [Fact]
    public async Task Delete_ClaimRowAlreadyGone_AccountStillDeleted()
    {
        var (accounts, table) = await NewAsync();
        var account = AccountStoreContract.NewAccount();
        await accounts.CreateAsync(account);
        await table.DeleteAsync(AccountRows.Partition, AccountClaim.Email(account.Email!).RowKey);

        await accounts.DeleteAsync(account.Did);

        Assert.Null(await accounts.GetByDidAsync(account.Did));
        Assert.Null(await table.GetEntityAsync(AccountRows.Partition, AccountClaim.Handle(account.Handle).RowKey));
    }

    [Fact]
    public async Task Create_TenConcurrentWithOneHandle_ExactlyOneWinsOthersGetHandleConflict()
    {
        var (accounts, _) = await NewAsync();
        var handle = TestIds.Handle();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            try
            {
                await accounts.CreateAsync(AccountStoreContract.NewAccount() with { Handle = handle });
                return "created";
            }
            catch (AccountConflictException e)
            {
                return e.Field;
            }
        })));

        Assert.Equal(1, outcomes.Count(o => o == "created"));
        Assert.Equal(9, outcomes.Count(o => o == "handle"));
        Assert.NotNull(await accounts.GetByHandleAsync(handle));
    }

    [Fact]
    public async Task Handles_NeedingKeyEscaping_RoundTripAndStayDistinct()
    {
        var (accounts, _) = await NewAsync();
        var raw = AccountStoreContract.NewAccount() with { Handle = "a/b#c?d\\e%f.test" };
        var lookalike = AccountStoreContract.NewAccount() with { Handle = "a%2fb#c?d\\e%f.test" };

        await accounts.CreateAsync(raw);
        await accounts.CreateAsync(lookalike);

        Assert.Equal(raw.Did, (await accounts.GetByHandleAsync("A/B#C?D\\E%F.test"))?.Did);
        Assert.Equal(lookalike.Did, (await accounts.GetByHandleAsync(lookalike.Handle))?.Did);
        await accounts.UpdateHandleAsync(raw.Did, "x?y/z.test");
        Assert.Equal(raw.Did, (await accounts.GetByHandleAsync("x?y/z.test"))?.Did);
        Assert.Null(await accounts.GetByHandleAsync(raw.Handle));
        var error = await Assert.ThrowsAsync<AccountConflictException>(() => accounts.UpdateHandleAsync(lookalike.Did, "X?Y/Z.test"));
        Assert.Equal("handle", error.Field);
    }

    [Fact]
    public async Task List_DidsWithPercentEscapes_StillInDidOrder()
    {
        var (accounts, _) = await NewAsync();
        string[] dids = ["did:web:a%3A8080", "did:web:a", "did:web:a.b", "did:web:a%3A80", "did:web:a-b"];
        foreach (var did in dids)
        {
            await accounts.CreateAsync(AccountStoreContract.NewAccount() with { Did = did });
        }

        var listed = (await Paging.AllAsync(2, (string?)null, c => accounts.ListAsync(2, c), a => a.Did)).Select(a => a.Did);

        Assert.Equal(dids.Order(StringComparer.Ordinal), listed);
    }

    [Fact]
    public async Task Create_IsOneRoundTrip_LookupByHandleTwo()
    {
        var (accounts, table) = await NewAsync();
        var account = AccountStoreContract.NewAccount();

        table.Requests.Reset();
        await accounts.CreateAsync(account);
        Assert.Equal(1, table.Requests.Count);

        table.Requests.Reset();
        await accounts.GetByHandleAsync(account.Handle);
        Assert.Equal(2, table.Requests.Count);
    }

    [Fact]
    public async Task Create_HandleTooLongForAKey_ArgumentExceptionAndNothingWritten()
    {
        var (accounts, _) = await NewAsync();
        var account = AccountStoreContract.NewAccount() with { Handle = new string('a', 600) + ".test" };

        await Assert.ThrowsAsync<ArgumentException>(() => accounts.CreateAsync(account));

        Assert.Null(await accounts.GetByDidAsync(account.Did));
    }
}
