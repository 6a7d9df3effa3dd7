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
    Task UpdateStatusAsync(string did, AccountStatus status, CancellationToken ct = default);

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
public sealed record AccountRecord(
    string Did,
    string Handle,
    string? Email,
    string PasswordHash,
    AccountStatus Status,
    DateTimeOffset CreatedAt,
    string? InvitedBy = null);

public sealed class AccountConflictException(string field, string message) : Exception(message)
{
    /// <summary>"did", "handle" or "email".</summary>
    public string Field { get; } = field;
}
