using Pds.Azure.Adapters.Invites;
using Pds.Azure.Storage;
using Pds.Core.Storage;
using Pds.Storage.Tests.Contracts;
using Pds.TestSupport;

namespace Pds.Storage.Tests.Azure;

/// <summary>
/// Beyond the contract for <see cref="AzureInviteStore"/>: the ETag-guarded use counter under a
/// crowd, imports larger than one transaction, and index rows that do not match a code.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureInviteStoreRaceTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Created = new(2026, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private async Task<(AzureInviteStore Store, TableClient Table)> NewAsync()
    {
        var table = await AzureTables.CreateAsync(azurite, "invites");
        return (new AzureInviteStore(table), table);
    }

    private static InviteCodeRecord NewCode(int uses, string? forAccount = null) =>
        new("test-" + TestIds.Random(10), uses, forAccount ?? TestIds.Did(), "admin", Created, Disabled: false, []);

    [Fact]
    public async Task TryUse_TenConcurrentOnOneUse_ExactlyOneSucceeds()
    {
        var (invites, _) = await NewAsync();
        var code = NewCode(1);
        await invites.CreateAsync(code);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            Task.Run(() => invites.TryUseAsync(code.Code, $"did:plc:user{i}", Created))));

        Assert.Equal(1, outcomes.Count(used => used));
        var stored = await invites.GetAsync(code.Code);
        Assert.Equal($"did:plc:user{Array.IndexOf(outcomes, true)}", Assert.Single(stored!.Uses).UsedBy);
    }

    [Fact]
    public async Task TryUse_IsTwoRoundTrips()
    {
        var (invites, table) = await NewAsync();
        var code = NewCode(1);
        await invites.CreateAsync(code);

        table.Requests.Reset();
        Assert.True(await invites.TryUseAsync(code.Code, TestIds.Did(), Created));

        Assert.Equal(2, table.Requests.Count);
    }

    [Fact]
    public async Task Create_WithMoreUsesThanOneTransaction_AllKeptInOrderAndCounted()
    {
        var (invites, _) = await NewAsync();
        var uses = Enumerable.Range(0, 150).Select(i => new InviteUse(TestIds.Did(), Created.AddMinutes(i))).ToList();
        var code = NewCode(151) with { Uses = uses };

        await invites.CreateAsync(code);

        Assert.Equal(uses, (await invites.GetAsync(code.Code))!.Uses);
        Assert.True(await invites.TryUseAsync(code.Code, "did:plc:last", Created.AddDays(1)));
        Assert.False(await invites.TryUseAsync(code.Code, "did:plc:late", Created.AddDays(1)));
        Assert.Equal("did:plc:last", (await invites.GetAsync(code.Code))!.Uses[^1].UsedBy);
    }

    [Fact]
    public async Task Create_SameCodeTwice_InvalidOperationAndFirstKept()
    {
        var (invites, _) = await NewAsync();
        var code = NewCode(2);
        await invites.CreateAsync(code);

        var duplicate = NewCode(9) with { Code = code.Code };

        await Assert.ThrowsAsync<InvalidOperationException>(() => invites.CreateAsync(duplicate));

        var stored = await invites.GetAsync(code.Code);
        Assert.Equal(2, stored!.AvailableUses);
        Assert.Equal(code.ForAccount, stored.ForAccount);
        Assert.Empty(await invites.ListForAccountAsync(duplicate.ForAccount));
    }

    [Fact]
    public async Task ListForAccount_IndexRowsWithoutMatchingCode_Ignored()
    {
        var (invites, table) = await NewAsync();
        var owner = TestIds.Did();
        var real = NewCode(1, owner);
        var foreign = NewCode(1);
        await invites.CreateAsync(real);
        await invites.CreateAsync(foreign);
        // Index rows as an interrupted create (no code row) and a duplicate create (someone else's code) leave them.
        await table.InsertAsync(new TableEntity("for:" + owner, "never-created").Set("Code", "never-created"));
        await table.InsertAsync(new TableEntity("for:" + owner, foreign.Code).Set("Code", foreign.Code));

        var listed = await invites.ListForAccountAsync(owner);

        Assert.Equal([real.Code], listed.Select(c => c.Code));
    }

    [Fact]
    public async Task Codes_NeedingKeyEscaping_RoundTrip()
    {
        var (invites, _) = await NewAsync();
        var owner = "did:web:x%3A1";
        var code = NewCode(1, owner) with { Code = "a/b#c?d\\e%f" };

        await invites.CreateAsync(code);

        Assert.True(await invites.TryUseAsync(code.Code, TestIds.Did(), Created));
        Assert.Equal(code.Code, Assert.Single(await invites.ListForAccountAsync(owner)).Code);
    }
}
