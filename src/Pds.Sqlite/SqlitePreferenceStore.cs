using Pds.Core.Storage;

namespace Pds.Sqlite;

/// <summary>Per-account preference documents in SQLite, one row per (did, scope).</summary>
public sealed class SqlitePreferenceStore(SqliteDatabase db) : IPreferenceStore
{
    public Task<byte[]?> GetAsync(string did, string scope, CancellationToken ct = default) =>
        db.ReadAsync((c, t) => c.QuerySingleAsync(
            "SELECT json FROM preference WHERE did = $did AND scope = $scope;", r => r.GetBytes(0), t,
            ("$did", did), ("$scope", scope)), ct);

    public Task PutAsync(string did, string scope, byte[] json, CancellationToken ct = default) =>
        db.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO preference (did, scope, json) VALUES ($did, $scope, $json) ON CONFLICT (did, scope) DO UPDATE SET json = excluded.json;",
            t, ("$did", did), ("$scope", scope), ("$json", json)), ct);

    public Task DeleteAllAsync(string did, CancellationToken ct = default) =>
        db.WriteAsync((c, t) => c.DeleteForDidAsync(did, t, "preference"), ct);
}
