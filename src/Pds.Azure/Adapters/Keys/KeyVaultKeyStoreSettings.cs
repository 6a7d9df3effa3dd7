using Pds.Azure.KeyVault;

namespace Pds.Azure.Adapters.Keys;

/// <summary>Settings of <see cref="KeyVaultKeyStore"/> (sign mode).</summary>
public sealed record KeyVaultKeyStoreSettings
{
    /// <summary>At most this long, so prefix + hash + suffix stays within Key Vault's 127 characters.</summary>
    public const int MaxKeyNamePrefixLength = 64;

    /// <summary>
    /// Start of every account key name in the vault, so several PDSs (or other users) can share a
    /// vault and an operator can tell the keys apart. Letters, digits and dashes.
    /// </summary>
    public string KeyNamePrefix { get; init; } = "pds-acct-";

    internal void Validate()
    {
        if (KeyNamePrefix.Length > MaxKeyNamePrefixLength || (KeyNamePrefix.Length > 0 && !KeyVaultKeyId.IsValidName(KeyNamePrefix)))
        {
            throw new ArgumentException($"key name prefix must be at most {MaxKeyNamePrefixLength} letters, digits or dashes", nameof(KeyNamePrefix));
        }
    }
}
