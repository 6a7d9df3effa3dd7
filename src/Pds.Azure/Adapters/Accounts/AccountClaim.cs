using Pds.Azure.Adapters.Tables;
using Pds.Azure.Storage;
using Pds.Core.Storage;

namespace Pds.Azure.Adapters.Accounts;

/// <summary>
/// The row that makes a handle or an email unique: <c>{field}:{value}</c> in the accounts
/// partition, naming the DID that holds it. It only counts while that account's row still has
/// the value; otherwise it is stale and may be taken over.
/// </summary>
/// <param name="Field">"handle" or "email": the row key prefix and <see cref="AccountConflictException.Field"/>.</param>
/// <param name="Property">The account row property holding the value.</param>
/// <param name="Value">The normalized (lower-case) value.</param>
internal sealed record AccountClaim(string Field, string Property, string Value)
{
    /// <summary>Computed on use, so a copy made with <c>with</c> never carries the original's key.</summary>
    public string RowKey => StoreKey.Of(Field + ":", Value, Field);

    public static AccountClaim Handle(string handle) => new("handle", AccountRows.Handle, AccountRows.Normalize(handle));

    public static AccountClaim Email(string email) => new("email", AccountRows.Email, AccountRows.Normalize(email));

    /// <summary>The claims an account row holds.</summary>
    public static IEnumerable<AccountClaim> Of(AccountRecord account) =>
        account.Email is null ? [Handle(account.Handle)] : [Handle(account.Handle), Email(account.Email)];

    public bool IsHeldBy(AccountRecord account) =>
        string.Equals(Property == AccountRows.Handle ? account.Handle : account.Email, Value, StringComparison.Ordinal);

    /// <summary>Insert the claim, or take over a stale one still carrying <paramref name="staleETag"/>.</summary>
    public TableTransactionAction Write(string did, string? staleETag)
    {
        var entity = new TableEntity(AccountRows.Partition, RowKey).Set(AccountRows.Did, did);
        return staleETag is null ? TableTransactionAction.Insert(entity) : TableTransactionAction.Update(entity, staleETag);
    }

    /// <summary>Unconditional: only ever used for a claim the caller's account row holds under its ETag.</summary>
    public TableTransactionAction Remove() => TableTransactionAction.Delete(AccountRows.Partition, RowKey);

    public AccountConflictException Conflict() => Field == "handle"
        ? new AccountConflictException(Field, $"handle {Value} is taken")
        : new AccountConflictException(Field, "email is already in use");
}
