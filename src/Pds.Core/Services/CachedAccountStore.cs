using System.Collections.Concurrent;
using Pds.Core.Storage;

namespace Pds.Core.Services;

/// <summary>
/// Every repository request looks its account up by DID (is it active? whose is it?). On a
/// network store that is a round trip per request, a quarter of a write's budget; accounts
/// change rarely, so lookups by DID are kept for <see cref="Ttl"/>. Changes made through this
/// process drop the entry at once; a change made by another instance (a takedown on another
/// Function instance) is seen within the TTL.
/// </summary>
public sealed class CachedAccountStore(IAccountStore inner, TimeProvider clock, TimeSpan ttl) : IAccountStore
{
    private readonly ConcurrentDictionary<string, (AccountRecord? Account, DateTimeOffset Expires)> _byDid = new(StringComparer.Ordinal);

    public TimeSpan Ttl { get; } = ttl;

    public async Task<AccountRecord?> GetByDidAsync(string did, CancellationToken ct = default)
    {
        if (_byDid.TryGetValue(did, out var hit) && hit.Expires > clock.GetUtcNow())
        {
            return hit.Account;
        }
        var account = await inner.GetByDidAsync(did, ct).ConfigureAwait(false);
        // Unknown DIDs are not remembered: the account may be created a moment later.
        if (account is not null)
        {
            _byDid[did] = (account, clock.GetUtcNow() + Ttl);
        }
        return account;
    }

    public Task<AccountRecord?> GetByHandleAsync(string handle, CancellationToken ct = default) => inner.GetByHandleAsync(handle, ct);

    public Task<AccountRecord?> GetByEmailAsync(string email, CancellationToken ct = default) => inner.GetByEmailAsync(email, ct);

    public Task<IReadOnlyList<AccountRecord>> ListAsync(int limit, string? cursorDid, CancellationToken ct = default) => inner.ListAsync(limit, cursorDid, ct);

    public Task CreateAsync(AccountRecord account, CancellationToken ct = default) => ForgetAroundAsync(account.Did, () => inner.CreateAsync(account, ct));

    public Task UpdateHandleAsync(string did, string handle, CancellationToken ct = default) => ForgetAroundAsync(did, () => inner.UpdateHandleAsync(did, handle, ct));

    public Task UpdatePasswordAsync(string did, string passwordHash, CancellationToken ct = default) => ForgetAroundAsync(did, () => inner.UpdatePasswordAsync(did, passwordHash, ct));

    public Task UpdateEmailAsync(string did, string email, CancellationToken ct = default) => ForgetAroundAsync(did, () => inner.UpdateEmailAsync(did, email, ct));

    public Task UpdateStatusAsync(string did, AccountStatus status, bool deactivated, CancellationToken ct = default) =>
        ForgetAroundAsync(did, () => inner.UpdateStatusAsync(did, status, deactivated, ct));

    public Task DeleteAsync(string did, CancellationToken ct = default) => ForgetAroundAsync(did, () => inner.DeleteAsync(did, ct));

    /// <summary>
    /// Forgets before the change starts and again once it is done, so this process never serves
    /// the old row after its own change returned. (A read already in flight may still put the old
    /// row back; the TTL bounds that, as it bounds changes made by other instances.)
    /// </summary>
    private async Task ForgetAroundAsync(string did, Func<Task> change)
    {
        _byDid.TryRemove(did, out _);
        try
        {
            await change().ConfigureAwait(false);
        }
        finally
        {
            _byDid.TryRemove(did, out _);
        }
    }
}
