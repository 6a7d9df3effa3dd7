namespace Pds.Core.Storage;

/// <summary>Accounts: identity, credentials and status. Handles and emails are unique (case-insensitive).</summary>
public interface IAccountStore
{
    /// <summary>Throws <see cref="AccountConflictException"/> when the DID, handle or email is taken.</summary>
    Task CreateAsync(AccountRecord account, CancellationToken ct = default);

    Task<AccountRecord?> GetByDidAsync(string did, CancellationToken ct = default);
    Task<AccountRecord?> GetByHandleAsync(string handle, CancellationToken ct = default);
    Task<AccountRecord?> GetByEmailAsync(string email, CancellationToken ct = default);

    /// <summary>Throws <see cref="AccountConflictException"/> when the handle is taken.</summary>
    Task UpdateHandleAsync(string did, string handle, CancellationToken ct = default);
    Task UpdatePasswordAsync(string did, string passwordHash, CancellationToken ct = default);
    Task UpdateEmailAsync(string did, string email, CancellationToken ct = default);
    /// <summary>Sets the status and whether the holder's own deactivation stands (see <see cref="AccountRecord.Deactivated"/>).</summary>
    Task UpdateStatusAsync(string did, AccountStatus status, bool deactivated, CancellationToken ct = default);

    /// <summary>Accounts ordered by DID, after <paramref name="cursorDid"/>.</summary>
    Task<IReadOnlyList<AccountRecord>> ListAsync(int limit, string? cursorDid, CancellationToken ct = default);

    Task DeleteAsync(string did, CancellationToken ct = default);
}

public enum AccountStatus
{
    Active,
    Deactivated,
    Takendown,
    Suspended,
    Deleted,
}

/// <summary>An account row. The password hash is self-describing (algorithm, parameters, salt).</summary>
/// <param name="Status">What the account shows: a takedown wins over the holder's deactivation.</param>
/// <param name="Deactivated">
/// The holder deactivated the account and has not reactivated it. Kept apart from
/// <paramref name="Status"/> because moderation and deactivation are independent: a takedown
/// hides the deactivation (Status is Takendown) and lifting it must bring the deactivation back
/// rather than make the account active.
/// </param>
public sealed record AccountRecord(
    string Did,
    string Handle,
    string? Email,
    string PasswordHash,
    AccountStatus Status,
    DateTimeOffset CreatedAt,
    string? InvitedBy = null,
    bool Deactivated = false);

public sealed class AccountConflictException(string field, string message) : Exception(message)
{
    /// <summary>"did", "handle" or "email".</summary>
    public string Field { get; } = field;
}
