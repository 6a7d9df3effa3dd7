namespace Pds.Core.Storage;

/// <summary>
/// Refresh tokens (by id) and app passwords. A refresh token is single use: rotating it marks
/// the old id as used and records the new one, so a replayed old token is detected.
/// </summary>
public interface ISessionStore
{
    Task CreateRefreshTokenAsync(RefreshTokenRecord token, CancellationToken ct = default);
    Task<RefreshTokenRecord?> GetRefreshTokenAsync(string id, CancellationToken ct = default);

    /// <summary>Marks <paramref name="id"/> used by <paramref name="nextId"/>; false if it was already used or is gone.</summary>
    Task<bool> RotateRefreshTokenAsync(string id, string nextId, CancellationToken ct = default);

    Task DeleteRefreshTokenAsync(string id, CancellationToken ct = default);
    Task DeleteRefreshTokensForAccountAsync(string did, CancellationToken ct = default);

    /// <summary>Throws <see cref="AccountConflictException"/> (field "name") when the name exists.</summary>
    Task CreateAppPasswordAsync(AppPasswordRecord appPassword, CancellationToken ct = default);
    Task<IReadOnlyList<AppPasswordRecord>> ListAppPasswordsAsync(string did, CancellationToken ct = default);
    Task<bool> DeleteAppPasswordAsync(string did, string name, CancellationToken ct = default);
}

public sealed record RefreshTokenRecord(
    string Id, string Did, string? AppPasswordName, DateTimeOffset ExpiresAt, string? NextId = null);

public sealed record AppPasswordRecord(string Did, string Name, string PasswordHash, bool Privileged, DateTimeOffset CreatedAt);
