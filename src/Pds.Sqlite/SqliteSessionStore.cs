using Microsoft.Data.Sqlite;
using Pds.Core.Storage;

namespace Pds.Sqlite;

/// <summary>Refresh tokens and app passwords in SQLite.</summary>
public sealed class SqliteSessionStore(SqliteDatabase db) : ISessionStore
{
    public Task CreateRefreshTokenAsync(RefreshTokenRecord token, CancellationToken ct = default) =>
        db.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO refresh_token (id, did, app_password_name, expires_at, next_id) VALUES ($id, $did, $app, $expires, $next);", t,
            ("$id", token.Id), ("$did", token.Did), ("$app", token.AppPasswordName), ("$expires", token.ExpiresAt.ToDb()),
            ("$next", token.NextId)), ct);

    public Task<RefreshTokenRecord?> GetRefreshTokenAsync(string id, CancellationToken ct = default) =>
        db.ReadAsync((c, t) => c.QuerySingleAsync(
            "SELECT id, did, app_password_name, expires_at, next_id FROM refresh_token WHERE id = $id;",
            r => new RefreshTokenRecord(r.GetString(0), r.GetString(1), r.GetNullableString(2), r.GetTime(3), r.GetNullableString(4)),
            t, ("$id", id)), ct);

    /// <summary>One conditional UPDATE: of two concurrent rotations of the same token, exactly one sees a row change.</summary>
    public async Task<bool> RotateRefreshTokenAsync(string id, string nextId, CancellationToken ct = default) =>
        await db.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE refresh_token SET next_id = $next WHERE id = $id AND next_id IS NULL;", t,
            ("$id", id), ("$next", nextId)), ct).ConfigureAwait(false) == 1;

    public Task DeleteRefreshTokenAsync(string id, CancellationToken ct = default) =>
        db.WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM refresh_token WHERE id = $id;", t, ("$id", id)), ct);

    public Task DeleteRefreshTokensForAccountAsync(string did, CancellationToken ct = default) =>
        db.WriteAsync((c, t) => c.DeleteForDidAsync(did, t, "refresh_token"), ct);

    public Task CreateAppPasswordAsync(AppPasswordRecord appPassword, CancellationToken ct = default) =>
        db.WriteAsync(async (c, t) =>
        {
            var inserted = await c.ExecuteAsync(
                "INSERT INTO app_password (did, name, password_hash, privileged, created_at) VALUES ($did, $name, $hash, $privileged, $created) " +
                "ON CONFLICT (did, name) DO NOTHING;", t,
                ("$did", appPassword.Did), ("$name", appPassword.Name), ("$hash", appPassword.PasswordHash),
                ("$privileged", appPassword.Privileged), ("$created", appPassword.CreatedAt.ToDb())).ConfigureAwait(false);
            if (inserted == 0)
            {
                throw new AccountConflictException("name", $"app password {appPassword.Name} already exists");
            }
        }, ct);

    public async Task<IReadOnlyList<AppPasswordRecord>> ListAppPasswordsAsync(string did, CancellationToken ct = default) =>
        await db.ReadAsync((c, t) => c.QueryAsync(
            "SELECT did, name, password_hash, privileged, created_at FROM app_password WHERE did = $did ORDER BY created_at, name;",
            ReadAppPassword, t, ("$did", did)), ct).ConfigureAwait(false);

    public async Task<bool> DeleteAppPasswordAsync(string did, string name, CancellationToken ct = default) =>
        await db.WriteAsync((c, t) => c.ExecuteAsync(
            "DELETE FROM app_password WHERE did = $did AND name = $name;", t, ("$did", did), ("$name", name)), ct).ConfigureAwait(false) == 1;

    private static AppPasswordRecord ReadAppPassword(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetBoolean(3), r.GetTime(4));
}
