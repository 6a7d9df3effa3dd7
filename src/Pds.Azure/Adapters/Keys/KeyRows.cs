using Pds.Azure.KeyVault;
using Pds.Azure.Storage;
using Pds.Core.Crypto;

namespace Pds.Azure.Adapters.Keys;

/// <summary>
/// Layout of the keys table. Every row lives in ONE partition so that claiming a reservation
/// (insert the account row, delete the reservation row) is a single entity group transaction:
/// two claimers cannot both get the key. Key rows are read once per process, so one partition's
/// throughput is plenty. Rows are only ever inserted and deleted, never updated.
/// </summary>
internal static class KeyRows
{
    public const string Partition = "key";

    public const string ModeProperty = "Mode";
    public const string KeyTypeProperty = "KeyType";
    public const string PublicKeyProperty = "PublicKey";
    public const string CreatedAtProperty = "CreatedAt";

    /// <summary>A row for <paramref name="owner"/> with the properties both modes share.</summary>
    public static TableEntity New(KeyOwner owner, string mode, PublicKey key) =>
        new TableEntity(Partition, owner.RowKey)
            .Set(ModeProperty, mode)
            .Set(KeyTypeProperty, key.KeyType.ToString())
            .Set(PublicKeyProperty, key.ToCompressed())
            .Set(CreatedAtProperty, DateTimeOffset.UtcNow);

    public static Task<TableEntity?> GetAsync(TableClient table, KeyOwner owner, CancellationToken ct) =>
        table.GetEntityAsync(Partition, owner.RowKey, ct: ct);

    /// <summary>
    /// Refuses a row another mode wrote, so switching a deployment between sign and wrap mode over
    /// existing rows fails loudly instead of misreading them.
    /// </summary>
    public static void RequireMode(TableEntity row, string mode)
    {
        var actual = RequiredString(row, ModeProperty);
        if (actual != mode)
        {
            throw new InvalidDataException($"key row {row.RowKey} was written in '{actual}' mode; this store reads '{mode}' rows");
        }
    }

    public static PublicKey ReadPublicKey(TableEntity row)
    {
        try
        {
            return PublicKey.FromCompressed(Enum.Parse<KeyType>(RequiredString(row, KeyTypeProperty)), RequiredBinary(row, PublicKeyProperty));
        }
        catch (Exception e) when (e is CryptoFormatException or ArgumentException)
        {
            throw new InvalidDataException($"key row {row.RowKey} holds no valid public key", e);
        }
    }

    public static TableEntity SetVaultKey(TableEntity row, string nameProperty, string versionProperty, KeyVaultKeyId id) =>
        row.Set(nameProperty, id.Name).Set(versionProperty, id.Version);

    /// <summary>The vault key version a row names, in the client's vault.</summary>
    public static KeyVaultKeyId ReadVaultKey(TableEntity row, string nameProperty, string versionProperty, KeyVaultKeysClient vault)
    {
        try
        {
            return KeyVaultKeyId.Create(vault.VaultUri, RequiredString(row, nameProperty), RequiredString(row, versionProperty));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"key row {row.RowKey} names no valid vault key", e);
        }
    }

    public static string RequiredString(TableEntity row, string name) =>
        Read(row, name, () => row.GetString(name));

    public static byte[] RequiredBinary(TableEntity row, string name) =>
        Read(row, name, () => row.GetBinary(name));

    private static T Read<T>(TableEntity row, string name, Func<T?> get) where T : class
    {
        try
        {
            return get() ?? throw new InvalidDataException($"key row {row.RowKey} has no '{name}'");
        }
        catch (InvalidCastException e)
        {
            throw new InvalidDataException($"key row {row.RowKey} has '{name}' of the wrong type", e);
        }
    }
}
