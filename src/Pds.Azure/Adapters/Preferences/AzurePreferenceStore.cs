using Pds.Azure.Adapters.Tables;
using Pds.Azure.Storage;
using Pds.Core.Storage;

namespace Pds.Azure.Adapters.Preferences;

/// <summary>
/// Preference documents in Table Storage: a partition per account (<c>{did}</c>), a row per scope,
/// the JSON bytes spread over binary properties by <see cref="EntityBytes"/> (at most
/// <see cref="EntityBytes.MaxBytes"/>). A put replaces the whole row, so a shorter document
/// leaves no parts of a longer one behind. The table must exist (<see cref="SimpleStoreTables"/>).
/// </summary>
public sealed class AzurePreferenceStore : IPreferenceStore
{
    private const string Json = "Json";

    private readonly TableClient _table;

    public AzurePreferenceStore(TableClient table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
    }

    public async Task<byte[]?> GetAsync(string did, string scope, CancellationToken ct = default)
    {
        var row = await _table.GetEntityAsync(Partition(did), Row(scope), ct: ct).ConfigureAwait(false);
        return row is null ? null : EntityBytes.Read(row, Json) ?? throw new InvalidDataException($"preference row {row.RowKey} has no document");
    }

    /// <exception cref="ArgumentException">The document is larger than <see cref="EntityBytes.MaxBytes"/>.</exception>
    public async Task PutAsync(string did, string scope, byte[] json, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(json);
        var row = new TableEntity(Partition(did), Row(scope));
        EntityBytes.Write(row, Json, json);
        await _table.UpsertAsync(row, TableUpdateMode.Replace, ct).ConfigureAwait(false);
    }

    /// <summary>One partition read (keys only), then transactions of up to 100 deletes.</summary>
    public Task DeleteAllAsync(string did, CancellationToken ct = default) =>
        _table.DeleteWhereAsync(TableFilter.PartitionKeyEquals(Partition(did)), ct);

    private static string Partition(string did) => StoreKey.Of("", did, nameof(did));

    private static string Row(string scope) => StoreKey.Of("", scope, nameof(scope));
}
