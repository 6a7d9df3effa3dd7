using Pds.Azure.Adapters.Tables;
using Pds.Azure.Storage;
using Pds.Core.Storage;

namespace Pds.Azure.Adapters.Accounts;

/// <summary>
/// Accounts in Table Storage (layout: <see cref="AccountRows"/>). Account rows and the handle and
/// email claims share one partition, so every change is a single entity-group transaction: an
/// account and its claims appear, change and disappear together, and the account row's ETag
/// serializes concurrent changes of one account. A claim whose named owner no longer holds the
/// value (left by anything but these transactions: a restore, a manual edit, an older writer)
/// never blocks anyone: a writer that collides with it checks the owner and takes it over under
/// the claim's ETag, and lookups ignore it. One partition serves about 2,000 entity operations
/// per second, far more than account traffic. The table must exist (<see cref="SimpleStoreTables"/>).
/// </summary>
public sealed class AzureAccountStore : IAccountStore
{
    /// <summary>Enough for a few lost races; the loops only repeat when another writer changed a row in between.</summary>
    private const int MaxAttempts = 8;

    private readonly TableClient _table;

    public AzureAccountStore(TableClient table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
    }

    /// <summary>One transaction inserting the account row and its claims.</summary>
    public async Task CreateAsync(AccountRecord account, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var row = AccountRows.ToEntity(account);
        var claims = AccountClaim.Of(AccountRows.FromEntity(row)).ToList();
        var staleETags = new Dictionary<AccountClaim, string>();
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            List<TableTransactionAction> actions =
                [TableTransactionAction.Insert(row), .. claims.Select(c => c.Write(account.Did, staleETags.GetValueOrDefault(c)))];
            try
            {
                await _table.SubmitTransactionAsync(actions, ct).ConfigureAwait(false);
                return;
            }
            catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
            {
                if (e.FailedActionIndex == 0 || (e.FailedActionIndex is null && await GetByDidAsync(account.Did, ct).ConfigureAwait(false) is not null))
                {
                    throw new AccountConflictException("did", $"account {account.Did} already exists");
                }
                var suspects = e.FailedActionIndex is { } i ? claims.GetRange(i - 1, 1) : claims;
                foreach (var claim in suspects)
                {
                    if (await ReclaimAsync(claim, account.Did, ct).ConfigureAwait(false) is { } etag)
                    {
                        staleETags[claim] = etag;
                    }
                    else
                    {
                        staleETags.Remove(claim);
                    }
                }
            }
        }
        throw Contended(account.Did);
    }

    public async Task<AccountRecord?> GetByDidAsync(string did, CancellationToken ct = default)
    {
        var row = await _table.GetEntityAsync(AccountRows.Partition, AccountRows.AccountKey(did), ct: ct).ConfigureAwait(false);
        return row is null ? null : AccountRows.FromEntity(row);
    }

    public Task<AccountRecord?> GetByHandleAsync(string handle, CancellationToken ct = default) => GetByClaimAsync(AccountClaim.Handle(handle), ct);

    public Task<AccountRecord?> GetByEmailAsync(string email, CancellationToken ct = default) => GetByClaimAsync(AccountClaim.Email(email), ct);

    /// <summary>A missing account is left alone (as an UPDATE of no rows would be).</summary>
    public Task UpdateHandleAsync(string did, string handle, CancellationToken ct = default) =>
        ChangeClaimAsync(did, AccountClaim.Handle(handle), ct);

    public Task UpdatePasswordAsync(string did, string passwordHash, CancellationToken ct = default) =>
        MergeAsync(AccountRows.PasswordChange(did, passwordHash), ct);

    public Task UpdateEmailAsync(string did, string email, CancellationToken ct = default) =>
        ChangeClaimAsync(did, AccountClaim.Email(email), ct);

    public Task UpdateStatusAsync(string did, AccountStatus status, bool deactivated, CancellationToken ct = default) =>
        MergeAsync(AccountRows.StatusChange(did, status, deactivated), ct);

    /// <summary>One range scan of the account rows; escaped DIDs keep DID order.</summary>
    public async Task<IReadOnlyList<AccountRecord>> ListAsync(int limit, string? cursorDid, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var filter = TableRange.From(AccountRows.Partition, AccountRows.AccountPrefix,
            cursorDid is null ? null : TableKey.Encode(cursorDid), exclusive: true);
        var rows = await _table.TakeAsync(new TableQuery(filter), limit, ct).ConfigureAwait(false);
        return rows.Select(AccountRows.FromEntity).ToList();
    }

    /// <summary>One transaction removing the account row (under its ETag) and its claims.</summary>
    public async Task DeleteAsync(string did, CancellationToken ct = default)
    {
        var key = AccountRows.AccountKey(did);
        var missingClaims = new HashSet<string>(StringComparer.Ordinal);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var row = await _table.GetEntityAsync(AccountRows.Partition, key, ct: ct).ConfigureAwait(false);
            if (row is null)
            {
                return;
            }
            var claims = AccountClaim.Of(AccountRows.FromEntity(row)).Where(c => !missingClaims.Contains(c.RowKey)).ToList();
            List<TableTransactionAction> actions =
                [TableTransactionAction.Delete(AccountRows.Partition, key, row.ETag!), .. claims.Select(c => c.Remove())];
            try
            {
                await _table.SubmitTransactionAsync(actions, ct).ConfigureAwait(false);
                return;
            }
            catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
            {
                // Index 0: the row changed or went away since it was read; read it again.
                if (e.FailedActionIndex is { } i && i > 0)
                {
                    missingClaims.Add(claims[i - 1].RowKey);
                }
            }
        }
        throw Contended(did);
    }

    private async Task<AccountRecord?> GetByClaimAsync(AccountClaim claim, CancellationToken ct)
    {
        var row = await _table.GetEntityAsync(AccountRows.Partition, claim.RowKey, ct: ct).ConfigureAwait(false);
        if (row?.GetString(AccountRows.Did) is not { } owner)
        {
            return null;
        }
        var account = await GetByDidAsync(owner, ct).ConfigureAwait(false);
        return account is not null && claim.IsHeldBy(account) ? account : null;
    }

    /// <summary>
    /// One transaction: the account row's new value (under the row's ETag), the new claim, and
    /// the removal of the old claim.
    /// </summary>
    private async Task ChangeClaimAsync(string did, AccountClaim claim, CancellationToken ct)
    {
        var key = AccountRows.AccountKey(did);
        string? staleETag = null;
        var oldClaimMissing = false;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var row = await _table.GetEntityAsync(AccountRows.Partition, key, ct: ct).ConfigureAwait(false);
            if (row is null)
            {
                return;
            }
            var old = row.GetString(claim.Property);
            if (old == claim.Value)
            {
                return;
            }
            var change = new TableEntity(AccountRows.Partition, key).Set(claim.Property, claim.Value);
            List<TableTransactionAction> actions =
                [TableTransactionAction.Update(change, row.ETag, TableUpdateMode.Merge), claim.Write(did, staleETag)];
            if (old is not null && !oldClaimMissing)
            {
                actions.Add((claim with { Value = old }).Remove());
            }
            try
            {
                await _table.SubmitTransactionAsync(actions, ct).ConfigureAwait(false);
                return;
            }
            catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
            {
                switch (e.FailedActionIndex)
                {
                    case 0:
                        break; // the account changed or went away since it was read: read it again
                    case 2:
                        oldClaimMissing = true;
                        break;
                    default:
                        staleETag = await ReclaimAsync(claim, did, ct).ConfigureAwait(false);
                        break;
                }
            }
        }
        throw Contended(did);
    }

    /// <summary>
    /// After a claim write failed: throws the conflict when the claim's owner really holds the
    /// value; otherwise returns the stale claim's ETag to take it over with, or null when the claim
    /// is gone (insert it again). A claim <paramref name="self"/> already holds is no conflict: the
    /// caller's next read sees the value in place.
    /// </summary>
    private async Task<string?> ReclaimAsync(AccountClaim claim, string self, CancellationToken ct)
    {
        var current = await _table.GetEntityAsync(AccountRows.Partition, claim.RowKey, ct: ct).ConfigureAwait(false);
        if (current is null)
        {
            return null;
        }
        if (current.GetString(AccountRows.Did) is { } owner
            && await GetByDidAsync(owner, ct).ConfigureAwait(false) is { } holder
            && claim.IsHeldBy(holder) && owner != self)
        {
            throw claim.Conflict();
        }
        return current.ETag;
    }

    private async Task MergeAsync(TableEntity change, CancellationToken ct)
    {
        try
        {
            await _table.UpdateAsync(change, "*", TableUpdateMode.Merge, ct).ConfigureAwait(false);
        }
        catch (StorageNotFoundException)
        {
            // A missing account is left alone, as an UPDATE of no rows would be.
        }
    }

    private static InvalidOperationException Contended(string did) =>
        new($"account {did} kept changing during the write; gave up after {MaxAttempts} attempts");
}
