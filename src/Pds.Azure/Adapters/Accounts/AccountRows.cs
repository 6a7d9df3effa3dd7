using Pds.Azure.Adapters.Tables;
using Pds.Azure.Storage;
using Pds.Core.Storage;

namespace Pds.Azure.Adapters.Accounts;

/// <summary>
/// Where account data lives in the accounts table: ONE partition holding account rows
/// (<c>account:{did}</c>) and claim rows (<c>handle:{handle}</c>, <c>email:{email}</c>, values
/// lower-cased, each naming its owner's DID). Keys are escaped with TableKey.Encode; DIDs only
/// ever escape '%', which keeps the escaped keys in DID order.
/// </summary>
internal static class AccountRows
{
    public const string Partition = "accounts";
    public const string AccountPrefix = "account:";

    public const string Did = "Did";
    public const string Handle = "Handle";
    public const string Email = "Email";
    public const string Deactivated = "Deactivated";
    private const string PasswordHash = "PasswordHash";
    private const string Status = "Status";
    private const string CreatedAt = "CreatedAt";
    private const string InvitedBy = "InvitedBy";

    public static string AccountKey(string did) => StoreKey.Of(AccountPrefix, did, nameof(did));

    /// <summary>Handles and emails are compared case-insensitively, so they are stored lower-case.</summary>
    public static string Normalize(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.ToLowerInvariant();
    }

    public static TableEntity ToEntity(AccountRecord account)
    {
        ArgumentNullException.ThrowIfNull(account.PasswordHash, nameof(account));
        return new TableEntity(Partition, AccountKey(account.Did))
            .Set(Did, account.Did)
            .Set(Handle, Normalize(account.Handle))
            .SetOptional(Email, account.Email is null ? null : Normalize(account.Email))
            .Set(PasswordHash, account.PasswordHash)
            .Set(Status, StatusName(account.Status))
            .SetTime(CreatedAt, account.CreatedAt)
            .SetOptional(InvitedBy, account.InvitedBy)
            .Set(Deactivated, account.Deactivated);
    }

    /// <summary>
    /// Rows written before <c>Deactivated</c> existed take it from the status: a deactivated one
    /// has it; one taken down after a deactivation cannot be told apart and comes back active.
    /// </summary>
    public static AccountRecord FromEntity(TableEntity row)
    {
        var status = ParseStatus(row);
        return new(
            row.RequiredString(Did),
            row.RequiredString(Handle),
            row.GetString(Email),
            row.RequiredString(PasswordHash),
            status,
            row.RequiredTime(CreatedAt),
            row.GetString(InvitedBy),
            row.GetBoolean(Deactivated) ?? status == AccountStatus.Deactivated);
    }

    public static TableEntity StatusChange(string did, AccountStatus status, bool deactivated) =>
        new TableEntity(Partition, AccountKey(did)).Set(Status, StatusName(status)).Set(Deactivated, deactivated);

    public static TableEntity PasswordChange(string did, string passwordHash)
    {
        ArgumentNullException.ThrowIfNull(passwordHash);
        return new TableEntity(Partition, AccountKey(did)).Set(PasswordHash, passwordHash);
    }

    private static string StatusName(AccountStatus status) => Enum.IsDefined(status)
        ? status.ToString().ToLowerInvariant()
        : throw new ArgumentOutOfRangeException(nameof(status), status, "not a defined account status");

    private static AccountStatus ParseStatus(TableEntity row)
    {
        var name = row.RequiredString(Status);
        return Enum.TryParse<AccountStatus>(name, ignoreCase: true, out var status) && Enum.IsDefined(status)
            ? status
            : throw new InvalidDataException($"account row {row.RowKey} has unknown status '{name}'");
    }
}
