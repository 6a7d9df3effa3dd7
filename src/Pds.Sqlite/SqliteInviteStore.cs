using Microsoft.Data.Sqlite;
using Pds.Core.Storage;

namespace Pds.Sqlite;

/// <summary>Invite codes and their uses in SQLite.</summary>
public sealed class SqliteInviteStore(SqliteDatabase db) : IInviteStore
{
    private const string Columns = "SELECT code, available_uses, for_account, created_by, created_at, disabled FROM invite_code ";

    /// <summary>The <see cref="InviteCodeRecord.Uses"/> of the record are stored too (an import keeps its history).</summary>
    public Task CreateAsync(InviteCodeRecord code, CancellationToken ct = default) =>
        db.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync(
                "INSERT INTO invite_code (code, available_uses, for_account, created_by, created_at, disabled) " +
                "VALUES ($code, $uses, $for, $by, $at, $disabled);", t,
                ("$code", code.Code), ("$uses", code.AvailableUses), ("$for", code.ForAccount), ("$by", code.CreatedBy),
                ("$at", code.CreatedAt.ToDb()), ("$disabled", code.Disabled)).ConfigureAwait(false);
            foreach (var use in code.Uses)
            {
                await InsertUseAsync(c, code.Code, use.UsedBy, use.UsedAt, t).ConfigureAwait(false);
            }
        }, ct);

    public Task<InviteCodeRecord?> GetAsync(string code, CancellationToken ct = default) =>
        db.ReadAsync(async (c, t) =>
            (await LoadAsync(c, "WHERE code = $v", code, t).ConfigureAwait(false)).SingleOrDefault(), ct);

    /// <summary>One conditional INSERT: the use is recorded only while the code is enabled and has uses left.</summary>
    public async Task<bool> TryUseAsync(string code, string usedBy, DateTimeOffset at, CancellationToken ct = default) =>
        await db.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO invite_use (code, used_by, used_at) SELECT $code, $by, $at FROM invite_code i " +
            "WHERE i.code = $code AND i.disabled = 0 " +
            "AND (SELECT COUNT(*) FROM invite_use u WHERE u.code = i.code) < i.available_uses;", t,
            ("$code", code), ("$by", usedBy), ("$at", at.ToDb())), ct).ConfigureAwait(false) == 1;

    public async Task<IReadOnlyList<InviteCodeRecord>> ListForAccountAsync(string forAccount, CancellationToken ct = default) =>
        await db.ReadAsync((c, t) => LoadAsync(c, "WHERE for_account = $v", forAccount, t), ct).ConfigureAwait(false);

    public Task DisableAsync(string code, CancellationToken ct = default) =>
        db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE invite_code SET disabled = 1 WHERE code = $code;", t, ("$code", code)), ct);

    private static Task<int> InsertUseAsync(SqliteConnection c, string code, string usedBy, DateTimeOffset at, CancellationToken ct) =>
        c.ExecuteAsync("INSERT INTO invite_use (code, used_by, used_at) VALUES ($code, $by, $at);", ct,
            ("$code", code), ("$by", usedBy), ("$at", at.ToDb()));

    /// <summary>Codes matching <paramref name="where"/> (ordered by creation) with their uses (in order of use).</summary>
    private static async Task<List<InviteCodeRecord>> LoadAsync(SqliteConnection c, string where, string value, CancellationToken ct)
    {
        var codes = await c.QueryAsync(
            Columns + where + " ORDER BY created_at, code;",
            r => (Code: r.GetString(0), Uses: r.GetInt32(1), For: r.GetString(2), By: r.GetString(3), At: r.GetTime(4), Disabled: r.GetBoolean(5)),
            ct, ("$v", value)).ConfigureAwait(false);
        var uses = await c.QueryAsync(
            $"SELECT code, used_by, used_at FROM invite_use WHERE code IN (SELECT code FROM invite_code {where}) ORDER BY id;",
            r => (Code: r.GetString(0), Use: new InviteUse(r.GetString(1), r.GetTime(2))), ct, ("$v", value)).ConfigureAwait(false);
        var byCode = uses.ToLookup(u => u.Code, u => u.Use, StringComparer.Ordinal);
        return codes.Select(x => new InviteCodeRecord(x.Code, x.Uses, x.For, x.By, x.At, x.Disabled, byCode[x.Code].ToList())).ToList();
    }
}
