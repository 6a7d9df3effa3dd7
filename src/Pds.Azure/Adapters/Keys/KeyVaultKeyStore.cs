using Pds.Azure.KeyVault;
using Pds.Azure.Storage;
using Pds.Core.Crypto;

namespace Pds.Azure.Adapters.Keys;

/// <summary>
/// Sign mode: every account key is a Key Vault EC key (P-256K, ES256K) and the PDS never holds a
/// private key; each signature is one vault call (normalised to low-S by <see cref="KeyVaultSigner"/>).
/// The table maps owner to vault key name, version and public key, so getting a signer costs one
/// table read per process and no vault call. Needs a role that can create and delete keys (Key
/// Vault Crypto Officer) besides sign.
/// </summary>
public sealed class KeyVaultKeyStore : TableKeyStore
{
    internal const string SignMode = "sign";

    private readonly KeyVaultKeysClient _vault;
    private readonly KeyVaultKeyStoreSettings _settings;

    /// <param name="table">The keys table (suggested name "keys"); the host creates it.</param>
    public KeyVaultKeyStore(KeyVaultKeysClient vault, TableClient table, KeyVaultKeyStoreSettings? settings = null)
        : base(table)
    {
        ArgumentNullException.ThrowIfNull(vault);
        settings ??= new KeyVaultKeyStoreSettings();
        settings.Validate();
        _vault = vault;
        _settings = settings;
    }

    private protected override string Mode => SignMode;

    private protected override async Task<StoredKey> NewKeyAsync(KeyOwner owner, CancellationToken ct)
    {
        var key = await _vault.CreateEcKeyAsync(VaultKeyNames.For(_settings.KeyNamePrefix, owner), KeyType.Secp256k1, ct).ConfigureAwait(false);
        var signer = new KeyVaultSigner(_vault, key);
        return new StoredKey(VaultKeyRow.New(owner, signer), signer);
    }

    private protected override Task<ISigner> OpenAsync(TableEntity row, KeyOwner owner, CancellationToken ct) =>
        Task.FromResult<ISigner>(VaultKeyRow.Signer(row, _vault));

    /// <summary>The vault key stays; only the row that names it moves.</summary>
    private protected override Task<StoredKey> RebindAsync(TableEntity reserved, KeyOwner from, KeyOwner to, CancellationToken ct)
    {
        var signer = VaultKeyRow.Signer(reserved, _vault);
        return Task.FromResult(new StoredKey(VaultKeyRow.New(to, signer), signer));
    }

    /// <summary>Deletes the vault key (all versions; soft delete keeps it recoverable for the retention period).</summary>
    private protected override Task ReleaseAsync(TableEntity row, CancellationToken ct) =>
        _vault.DeleteKeyAsync(VaultKeyRow.KeyId(row, _vault).Name, ct);
}
