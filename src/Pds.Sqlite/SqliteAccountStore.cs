using Microsoft.Data.Sqlite;
using Pds.Core.Storage;

namespace Pds.Sqlite;

/// <summary>
/// Accounts in SQLite. Handles and emails are stored lower-case, so lookups and the UNIQUE
/// constraints are case-insensitive; conflicts are checked inside the write transaction to
/// name the field that clashed.
/// </summary>
public sealed class SqliteAccountStore(SqliteDatabase db) : IAccountStore
{
    private const string Columns = "SELECT did, handle, email, password_hash, status, created_at, invited_by, deactivated FROM account ";

    public Task CreateAsync(AccountRecord account, CancellationToken ct = default) =>
        db.WriteAsync(async (c, token) =>
        {
            if (await ExistsAsync(c, "did = $v", account.Did, token).ConfigureAwait(false))
            {
                throw new AccountConflictException("did", $"account {account.Did} already exists");
            }
            await EnsureHandleFreeAsync(c, account.Did, account.Handle, token).ConfigureAwait(false);
            await EnsureEmailFreeAsync(c, account.Did, account.Email, token).ConfigureAwait(false);
            await c.ExecuteAsync(
                "INSERT INTO account (did, handle, email, password_hash, status, created_at, invited_by, deactivated) " +
                "VALUES ($did, $handle, $email, $hash, $status, $created, $invitedBy, $deactivated);", token,
                ("$did", account.Did), ("$handle", Normalize(account.Handle)), ("$email", account.Email?.ToLowerInvariant()),
                ("$hash", account.PasswordHash), ("$status", StatusName(account.Status)), ("$created", account.CreatedAt.ToDb()),
                ("$invitedBy", account.InvitedBy), ("$deactivated", account.Deactivated)).ConfigureAwait(false);
        }, ct);

    public Task<AccountRecord?> GetByDidAsync(string did, CancellationToken ct = default) => GetAsync("did", did, ct);

    public Task<AccountRecord?> GetByHandleAsync(string handle, CancellationToken ct = default) => GetAsync("handle", Normalize(handle), ct);

    public Task<AccountRecord?> GetByEmailAsync(string email, CancellationToken ct = default) => GetAsync("email", Normalize(email), ct);

    public Task UpdateHandleAsync(string did, string handle, CancellationToken ct = default) =>
        db.WriteAsync(async (c, token) =>
        {
            await EnsureHandleFreeAsync(c, did, handle, token).ConfigureAwait(false);
            await UpdateAsync(c, did, "handle", Normalize(handle), token).ConfigureAwait(false);
        }, ct);

    public Task UpdatePasswordAsync(string did, string passwordHash, CancellationToken ct = default) =>
        db.WriteAsync((c, token) => UpdateAsync(c, did, "password_hash", passwordHash, token), ct);

    public Task UpdateEmailAsync(string did, string email, CancellationToken ct = default) =>
        db.WriteAsync(async (c, token) =>
        {
            await EnsureEmailFreeAsync(c, did, email, token).ConfigureAwait(false);
            await UpdateAsync(c, did, "email", Normalize(email), token).ConfigureAwait(false);
        }, ct);

    public Task UpdateStatusAsync(string did, AccountStatus status, bool deactivated, CancellationToken ct = default) =>
        db.WriteAsync((c, token) => c.ExecuteAsync(
            "UPDATE account SET status = $status, deactivated = $deactivated WHERE did = $did;", token,
            ("$status", StatusName(status)), ("$deactivated", deactivated), ("$did", did)), ct);

    public async Task<IReadOnlyList<AccountRecord>> ListAsync(int limit, string? cursorDid, CancellationToken ct = default) =>
        await db.ReadAsync((c, token) => c.QueryAsync(
            Columns + "WHERE $cursor IS NULL OR did > $cursor ORDER BY did LIMIT $limit;", ReadAccount, token,
            ("$cursor", cursorDid), ("$limit", limit)), ct).ConfigureAwait(false);

    public Task DeleteAsync(string did, CancellationToken ct = default) =>
        db.WriteAsync((c, token) => c.DeleteForDidAsync(did, token, "account"), ct);

    private Task<AccountRecord?> GetAsync(string column, string value, CancellationToken ct) =>
        db.ReadAsync((c, token) => c.QuerySingleAsync(Columns + $"WHERE {column} = $v;", ReadAccount, token, ("$v", value)), ct);

    private static async Task EnsureHandleFreeAsync(SqliteConnection c, string did, string handle, CancellationToken ct)
    {
        if (await ExistsAsync(c, "handle = $v AND did <> $did", Normalize(handle), ct, did).ConfigureAwait(false))
        {
            throw new AccountConflictException("handle", $"handle {handle} is taken");
        }
    }

    private static async Task EnsureEmailFreeAsync(SqliteConnection c, string did, string? email, CancellationToken ct)
    {
        if (email is not null && await ExistsAsync(c, "email = $v AND did <> $did", Normalize(email), ct, did).ConfigureAwait(false))
        {
            throw new AccountConflictException("email", "email is already in use");
        }
    }

    private static async Task<bool> ExistsAsync(SqliteConnection c, string where, string value, CancellationToken ct, string did = "")
    {
        var found = await c.QuerySingleAsync<long?>(
            $"SELECT 1 FROM account WHERE {where};", r => r.GetInt64(0), ct, ("$v", value), ("$did", did)).ConfigureAwait(false);
        return found is not null;
    }

    private static Task<int> UpdateAsync(SqliteConnection c, string did, string column, string value, CancellationToken ct) =>
        c.ExecuteAsync($"UPDATE account SET {column} = $v WHERE did = $did;", ct, ("$v", value), ("$did", did));

    private static string Normalize(string value) => value.ToLowerInvariant();

    private static string StatusName(AccountStatus status) => status.ToString().ToLowerInvariant();

    private static AccountRecord ReadAccount(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetNullableString(2), r.GetString(3),
        Enum.Parse<AccountStatus>(r.GetString(4), ignoreCase: true), r.GetTime(5), r.GetNullableString(6), r.GetBoolean(7));
}
