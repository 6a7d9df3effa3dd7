using System.Security.Cryptography;
using System.Text;

namespace Pds.Azure.Adapters.Keys;

/// <summary>
/// Vault key names for account keys. DIDs hold characters Key Vault names cannot (':', '.', '%'),
/// so a name is prefix + 32 hex digits of SHA-256 of the owner's row key (an operator can find a
/// DID's key from its DID) + a random suffix. The suffix matters: deleted key names stay taken
/// for the vault's soft-delete retention, and an account may be deleted and created again, or two
/// instances may race to create the same account's key.
/// </summary>
internal static class VaultKeyNames
{
    public static string For(string prefix, KeyOwner owner)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(owner.RowKey));
        return prefix + Convert.ToHexStringLower(hash.AsSpan(0, 16)) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    }
}
