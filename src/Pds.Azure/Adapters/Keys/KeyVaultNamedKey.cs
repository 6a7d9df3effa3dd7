using Pds.Azure.KeyVault;
using Pds.Azure.Storage;
using Pds.Core.Crypto;

namespace Pds.Azure.Adapters.Keys;

/// <summary>
/// A service key that lives in Key Vault under a fixed name, such as the PLC rotation key
/// ("plc-rotation") in sign mode. The version in use is pinned in the keys table: every instance
/// must sign with the same key (it is listed in the accounts' DID documents), and a fresh version
/// made in the vault later (a rotation there, or two instances racing to create the key on first
/// start) must not change it behind the PDS's back.
/// </summary>
public static class KeyVaultNamedKey
{
    public const string PlcRotationKeyName = "plc-rotation";

    /// <summary>
    /// The pinned key: one table read once pinned (no vault call). The first time, the latest
    /// version already in the vault is adopted, or a secp256k1 key is created; when two instances
    /// race, the first row written wins and the other adopts it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The vault key under that name is not an EC key.</exception>
    public static async Task<KeyVaultSigner> GetOrCreateAsync(
        KeyVaultKeysClient vault, TableClient table, string name = PlcRotationKeyName, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(table);
        if (!KeyVaultKeyId.IsValidName(name))
        {
            throw new ArgumentException("key name must be 1-127 letters, digits or dashes", nameof(name));
        }
        var owner = KeyOwner.Named(name);
        if (await KeyRows.GetAsync(table, owner, ct).ConfigureAwait(false) is { } pinned)
        {
            return VaultKeyRow.Signer(pinned, vault);
        }
        KeyVaultKey key;
        try
        {
            key = await vault.GetKeyAsync(name, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (KeyVaultException e) when (e.Status == 404)
        {
            key = await vault.CreateEcKeyAsync(name, KeyType.Secp256k1, ct).ConfigureAwait(false);
        }
        if (!key.IsEc)
        {
            throw new InvalidOperationException($"vault key '{name}' is {key.Kty}, not an EC signing key");
        }
        var signer = new KeyVaultSigner(vault, key);
        try
        {
            await table.InsertAsync(VaultKeyRow.New(owner, signer), ct).ConfigureAwait(false);
            return signer;
        }
        catch (StorageConflictException)
        {
            // Another instance pinned a version first; any version made here stays unused.
            var winner = await KeyRows.GetAsync(table, owner, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"the pinned row of vault key '{name}' vanished");
            return VaultKeyRow.Signer(winner, vault);
        }
    }
}
