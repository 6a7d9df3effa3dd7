using Pds.Azure.KeyVault;
using Pds.Azure.Storage;

namespace Pds.Azure.Adapters.Keys;

/// <summary>Rows of sign-mode keys (accounts and named keys): the vault key version and its public key.</summary>
internal static class VaultKeyRow
{
    public const string NameProperty = "VaultKeyName";
    public const string VersionProperty = "VaultKeyVersion";

    public static TableEntity New(KeyOwner owner, KeyVaultSigner signer) =>
        KeyRows.SetVaultKey(KeyRows.New(owner, KeyVaultKeyStore.SignMode, signer.PublicKey), NameProperty, VersionProperty, signer.KeyId);

    public static KeyVaultKeyId KeyId(TableEntity row, KeyVaultKeysClient vault) =>
        KeyRows.ReadVaultKey(row, NameProperty, VersionProperty, vault);

    /// <summary>A signer from the row alone: no vault call.</summary>
    public static KeyVaultSigner Signer(TableEntity row, KeyVaultKeysClient vault)
    {
        KeyRows.RequireMode(row, KeyVaultKeyStore.SignMode);
        return new KeyVaultSigner(vault, KeyId(row, vault), KeyRows.ReadPublicKey(row));
    }
}
