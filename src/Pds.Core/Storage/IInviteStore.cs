namespace Pds.Core.Storage;

/// <summary>Invite codes, each with a number of uses; uses are recorded per account.</summary>
public interface IInviteStore
{
    Task CreateAsync(InviteCodeRecord code, CancellationToken ct = default);
    Task<InviteCodeRecord?> GetAsync(string code, CancellationToken ct = default);

    /// <summary>Records one use; false when the code is unknown, disabled or used up.</summary>
    Task<bool> TryUseAsync(string code, string usedBy, DateTimeOffset at, CancellationToken ct = default);

    Task<IReadOnlyList<InviteCodeRecord>> ListForAccountAsync(string forAccount, CancellationToken ct = default);
    Task DisableAsync(string code, CancellationToken ct = default);
}

public sealed record InviteCodeRecord(
    string Code,
    int AvailableUses,
    string ForAccount,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    bool Disabled,
    IReadOnlyList<InviteUse> Uses);

public sealed record InviteUse(string UsedBy, DateTimeOffset UsedAt);
