using Pds.Azure.Adapters.Tables;
using Pds.Azure.Storage;
using Pds.Core.Storage;

namespace Pds.Azure.Adapters.Sessions;

/// <summary>
/// Refresh tokens and app passwords in Table Storage. Tokens are found by id alone, so they share
/// one partition keyed by id (<c>refresh</c> / <c>{id}</c>, the DID as a property): a point read
/// per lookup, and deleting an account's tokens is a filtered scan of that partition followed by
/// transactions of up to 100 deletes. Rotation is a read and a merge under the read's ETag, so
/// of concurrent rotations of one token exactly one succeeds. App passwords are a partition per
/// account (<c>apppw:{did}</c> / <c>{name}</c>): inserting an existing name fails, listing is one
/// partition read. The table must exist (<see cref="SimpleStoreTables"/>).
/// </summary>
public sealed class AzureSessionStore : ISessionStore
{
    internal const string TokenPartition = "refresh";
    private const string AppPasswordPrefix = "apppw:";
    private const int MaxAttempts = 8;

    private const string Did = "Did";
    private const string AppPasswordName = "AppPasswordName";
    private const string ExpiresAt = "ExpiresAt";
    private const string NextId = "NextId";
    private const string Name = "Name";
    private const string PasswordHash = "PasswordHash";
    private const string Privileged = "Privileged";
    private const string CreatedAt = "CreatedAt";

    private readonly TableClient _table;

    public AzureSessionStore(TableClient table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
    }

    /// <exception cref="InvalidOperationException">A token with this id already exists.</exception>
    public async Task CreateRefreshTokenAsync(RefreshTokenRecord token, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(token.Did, nameof(token));
        var row = new TableEntity(TokenPartition, TokenKey(token.Id))
            .Set(Did, token.Did)
            .SetOptional(AppPasswordName, token.AppPasswordName)
            .SetTime(ExpiresAt, token.ExpiresAt)
            .SetOptional(NextId, token.NextId);
        try
        {
            await _table.InsertAsync(row, ct).ConfigureAwait(false);
        }
        catch (StorageConflictException e)
        {
            throw new InvalidOperationException("a refresh token with this id already exists", e);
        }
    }

    public async Task<RefreshTokenRecord?> GetRefreshTokenAsync(string id, CancellationToken ct = default)
    {
        var row = await _table.GetEntityAsync(TokenPartition, TokenKey(id), ct: ct).ConfigureAwait(false);
        return row is null
            ? null
            : new RefreshTokenRecord(id, row.RequiredString(Did), row.GetString(AppPasswordName), row.RequiredTime(ExpiresAt), row.GetString(NextId));
    }

    /// <summary>
    /// Read, then merge NextId under the read's ETag. A lost race (412) rereads: the token now
    /// carries the winner's NextId, so the answer is false.
    /// </summary>
    public async Task<bool> RotateRefreshTokenAsync(string id, string nextId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(nextId);
        var key = TokenKey(id);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var row = await _table.GetEntityAsync(TokenPartition, key, ct: ct).ConfigureAwait(false);
            if (row is null || row.GetString(NextId) is not null)
            {
                return false;
            }
            try
            {
                await _table.UpdateAsync(new TableEntity(TokenPartition, key).Set(NextId, nextId), row.ETag!, TableUpdateMode.Merge, ct)
                    .ConfigureAwait(false);
                return true;
            }
            catch (StorageConcurrencyException)
            {
                // Changed since the read: read again.
            }
            catch (StorageNotFoundException)
            {
                return false;
            }
        }
        throw new InvalidOperationException($"refresh token kept changing during rotation; gave up after {MaxAttempts} attempts");
    }

    public async Task DeleteRefreshTokenAsync(string id, CancellationToken ct = default) =>
        await _table.TryDeleteAsync(TokenPartition, TokenKey(id), ct).ConfigureAwait(false);

    /// <summary>A server-side filtered scan of the token partition, then batched deletes.</summary>
    public Task DeleteRefreshTokensForAccountAsync(string did, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(did);
        return _table.DeleteWhereAsync($"{TableFilter.PartitionKeyEquals(TokenPartition)} and {Did} eq {TableFilter.Quote(did)}", ct);
    }

    public async Task CreateAppPasswordAsync(AppPasswordRecord appPassword, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(appPassword);
        ArgumentNullException.ThrowIfNull(appPassword.PasswordHash, nameof(appPassword));
        var row = new TableEntity(AppPasswordPartition(appPassword.Did), StoreKey.Of("", appPassword.Name, nameof(appPassword)))
            .Set(Name, appPassword.Name)
            .Set(PasswordHash, appPassword.PasswordHash)
            .Set(Privileged, appPassword.Privileged)
            .SetTime(CreatedAt, appPassword.CreatedAt);
        try
        {
            await _table.InsertAsync(row, ct).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            throw new AccountConflictException("name", $"app password {appPassword.Name} already exists");
        }
    }

    /// <summary>One partition read, ordered by creation time then name.</summary>
    public async Task<IReadOnlyList<AppPasswordRecord>> ListAppPasswordsAsync(string did, CancellationToken ct = default)
    {
        var list = new List<AppPasswordRecord>();
        await foreach (var row in _table.QueryAsync(new TableQuery(TableFilter.PartitionKeyEquals(AppPasswordPartition(did))), ct).ConfigureAwait(false))
        {
            list.Add(new AppPasswordRecord(
                did, row.RequiredString(Name), row.RequiredString(PasswordHash), row.RequiredBoolean(Privileged), row.RequiredTime(CreatedAt)));
        }
        return list.OrderBy(p => p.CreatedAt).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    public Task<bool> DeleteAppPasswordAsync(string did, string name, CancellationToken ct = default) =>
        _table.TryDeleteAsync(AppPasswordPartition(did), StoreKey.Of("", name, nameof(name)), ct);

    private static string TokenKey(string id) => StoreKey.Of("", id, nameof(id));

    private static string AppPasswordPartition(string did) => StoreKey.Of(AppPasswordPrefix, did, nameof(did));
}
