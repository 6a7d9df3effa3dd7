using System.Globalization;
using Pds.Azure.Adapters.Tables;
using Pds.Azure.Storage;
using Pds.Core.Storage;

namespace Pds.Azure.Adapters.Invites;

/// <summary>
/// Invite codes in Table Storage. Each code is a partition (<c>code:{code}</c>) holding the code
/// row (<c>code</c>, with a use counter) and one row per use (<c>use:{n}</c>, n = 0, 1, ... in order
/// of use), so a code with its uses is one partition read and recording a use is one transaction
/// (counter + use row) under the code row's ETag: concurrent uses past the limit lose the race,
/// reread and see the code used up. Codes are listed per account through index rows
/// (<c>for:{did}</c> / <c>{code}</c>), written before the code row and checked against it when
/// read, so an index row left by an interrupted or duplicate create is ignored.
/// The table must exist (<see cref="SimpleStoreTables"/>).
/// </summary>
public sealed class AzureInviteStore : IInviteStore
{
    private const string CodeRow = "code";
    private const string UsePrefix = "use:";
    /// <summary>Uses recorded in the transaction that inserts the code row (the rest follow in chunks).</summary>
    private const int UsesWithCode = TableLimits.MaxBatchActions - 1;
    /// <summary>Each lost race means another caller's use went through, so this only runs out under a storm.</summary>
    private const int MaxAttempts = 32;

    private const string Code = "Code";
    private const string AvailableUses = "AvailableUses";
    private const string UseCount = "UseCount";
    private const string ForAccount = "ForAccount";
    private const string CreatedBy = "CreatedBy";
    private const string CreatedAt = "CreatedAt";
    private const string Disabled = "Disabled";
    private const string UsedBy = "UsedBy";
    private const string UsedAt = "UsedAt";

    private readonly TableClient _table;

    public AzureInviteStore(TableClient table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
    }

    /// <summary>
    /// The record's <see cref="InviteCodeRecord.Uses"/> are stored too (an import keeps its
    /// history); the first 99 go in the code row's transaction, any further ones right after.
    /// </summary>
    /// <exception cref="InvalidOperationException">The code already exists.</exception>
    public async Task CreateAsync(InviteCodeRecord code, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(code.Uses, nameof(code));
        ArgumentOutOfRangeException.ThrowIfNegative(code.AvailableUses, nameof(code));
        var partition = CodePartition(code.Code);
        var head = new TableEntity(partition, CodeRow)
            .Set(AvailableUses, code.AvailableUses)
            .Set(UseCount, code.Uses.Count)
            .Set(ForAccount, code.ForAccount ?? throw new ArgumentNullException(nameof(code), "ForAccount is null"))
            .Set(CreatedBy, code.CreatedBy ?? throw new ArgumentNullException(nameof(code), "CreatedBy is null"))
            .SetTime(CreatedAt, code.CreatedAt)
            .Set(Disabled, code.Disabled);
        var uses = code.Uses.Select((use, n) => TableTransactionAction.Insert(UseEntity(partition, n, use))).ToList();

        // The index row goes first: a crash before the code row leaves only an index row, which listings skip.
        await _table.UpsertAsync(new TableEntity(AccountPartition(code.ForAccount), StoreKey.Of("", code.Code, nameof(code))).Set(Code, code.Code), ct: ct)
            .ConfigureAwait(false);
        try
        {
            await _table.SubmitTransactionAsync([TableTransactionAction.Insert(head), .. uses.Take(UsesWithCode)], ct).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            throw new InvalidOperationException($"invite code {code.Code} already exists", e);
        }
        await _table.SubmitInChunksAsync(uses.Skip(UsesWithCode), ct).ConfigureAwait(false);
    }

    /// <summary>One partition read: the code row and its uses.</summary>
    public async Task<InviteCodeRecord?> GetAsync(string code, CancellationToken ct = default)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in _table.QueryAsync(new TableQuery(TableFilter.PartitionKeyEquals(CodePartition(code))), ct).ConfigureAwait(false))
        {
            rows.Add(row);
        }
        return Read(code, rows);
    }

    /// <summary>
    /// Reads the code row, then commits counter + 1 and use row n in one transaction under the
    /// row's ETag. The use row is written insert-or-replace: the ETag already guarantees no other
    /// use holds number n, and it overwrites a row left beyond the counter by an interrupted import.
    /// </summary>
    public async Task<bool> TryUseAsync(string code, string usedBy, DateTimeOffset at, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(usedBy);
        var partition = CodePartition(code);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var head = await _table.GetEntityAsync(partition, CodeRow, ct: ct).ConfigureAwait(false);
            if (head is null || head.RequiredBoolean(Disabled))
            {
                return false;
            }
            var used = head.RequiredInt32(UseCount);
            if (used >= head.RequiredInt32(AvailableUses))
            {
                return false;
            }
            try
            {
                await _table.SubmitTransactionAsync(
                [
                    TableTransactionAction.Update(new TableEntity(partition, CodeRow).Set(UseCount, used + 1), head.ETag, TableUpdateMode.Merge),
                    TableTransactionAction.Upsert(UseEntity(partition, used, new InviteUse(usedBy, at))),
                ], ct).ConfigureAwait(false);
                return true;
            }
            catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
            {
                // Another use (or a disable) got in first: back off a little so a crowd spreads out, then reread.
                await Task.Delay(Random.Shared.Next(attempt * 5 + 1), ct).ConfigureAwait(false);
            }
        }
        throw new InvalidOperationException($"invite code {code} stayed contended for {MaxAttempts} attempts");
    }

    /// <summary>The account's index rows, then each code's partition (a few reads at a time); ordered by creation time.</summary>
    public async Task<IReadOnlyList<InviteCodeRecord>> ListForAccountAsync(string forAccount, CancellationToken ct = default)
    {
        var codes = new List<InviteCodeRecord>();
        var index = new TableQuery(TableFilter.PartitionKeyEquals(AccountPartition(forAccount)), TableReads.Select(Code));
        await foreach (var chunk in _table.ChunksAsync(index, 8, ct).ConfigureAwait(false))
        {
            var loaded = await Task.WhenAll(chunk.Select(row => GetAsync(row.RequiredString(Code), ct))).ConfigureAwait(false);
            codes.AddRange(loaded.OfType<InviteCodeRecord>().Where(c => c.ForAccount == forAccount));
        }
        return codes.OrderBy(c => c.CreatedAt).ThenBy(c => c.Code, StringComparer.Ordinal).ToList();
    }

    /// <summary>A merge of the flag; it changes the ETag, so a use racing with it rereads and sees the code disabled.</summary>
    public async Task DisableAsync(string code, CancellationToken ct = default)
    {
        try
        {
            await _table.UpdateAsync(new TableEntity(CodePartition(code), CodeRow).Set(Disabled, true), "*", TableUpdateMode.Merge, ct)
                .ConfigureAwait(false);
        }
        catch (StorageNotFoundException)
        {
            // Unknown code: nothing to disable.
        }
    }

    private static InviteCodeRecord? Read(string code, List<TableEntity> rows)
    {
        var head = rows.Find(r => r.RowKey == CodeRow);
        if (head is null)
        {
            return null;
        }
        // Row keys sort by use number (fixed width); rows at or past the counter are not uses.
        var count = head.RequiredInt32(UseCount);
        var uses = rows
            .Where(r => r.RowKey.StartsWith(UsePrefix, StringComparison.Ordinal)
                && int.Parse(r.RowKey.AsSpan(UsePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture) < count)
            .Select(r => new InviteUse(r.RequiredString(UsedBy), r.RequiredTime(UsedAt)))
            .ToList();
        return new InviteCodeRecord(
            code, head.RequiredInt32(AvailableUses), head.RequiredString(ForAccount), head.RequiredString(CreatedBy),
            head.RequiredTime(CreatedAt), head.RequiredBoolean(Disabled), uses);
    }

    private static TableEntity UseEntity(string partition, int n, InviteUse use) =>
        new TableEntity(partition, UsePrefix + n.ToString("D10", CultureInfo.InvariantCulture))
            .Set(UsedBy, use.UsedBy ?? throw new ArgumentException("a use without UsedBy", nameof(use)))
            .SetTime(UsedAt, use.UsedAt);

    private static string CodePartition(string code) => StoreKey.Of("code:", code, nameof(code));

    private static string AccountPartition(string forAccount) => StoreKey.Of("for:", forAccount, nameof(forAccount));
}
