using System.Security.Cryptography;
using Pds.Azure.KeyVault;

namespace Pds.Azure.Adapters.Keys;

/// <summary>
/// The public half of wrap mode's RSA key, pinned to one version. Wrapping (RSA-OAEP-256, the
/// same as the vault's wrapKey) is done here with the public key, so a private scalar never
/// leaves the process on its way into the table and a new key costs no vault call; only
/// unwrapping needs the vault.
/// </summary>
internal sealed class WrappingKey
{
    private const int MinModulusBytes = 2048 / 8;

    private readonly RSAParameters _public;

    private WrappingKey(KeyVaultKeyId id, RSAParameters publicParameters)
    {
        Id = id;
        _public = publicParameters;
    }

    public KeyVaultKeyId Id { get; }

    /// <exception cref="KeyWrappingException">Not an RSA key of at least 2048 bits allowed to wrap and unwrap.</exception>
    public static WrappingKey From(KeyVaultKey key)
    {
        if (!key.IsRsa)
        {
            throw new KeyWrappingException($"wrapping key '{key.Id.Name}' is {key.Kty}, not RSA");
        }
        // A vault key lists the operations it allows; an empty list is read as "not restricted".
        if (key.KeyOps.Count > 0 && !(key.KeyOps.Contains("wrapKey") && key.KeyOps.Contains("unwrapKey")))
        {
            throw new KeyWrappingException($"wrapping key '{key.Id.Name}' does not allow wrapKey and unwrapKey (it allows {string.Join(", ", key.KeyOps)})");
        }
        var modulus = key.Modulus.TrimStart((byte)0).ToArray();
        var exponent = key.Exponent.TrimStart((byte)0).ToArray();
        if (modulus.Length < MinModulusBytes || exponent.Length == 0)
        {
            throw new KeyWrappingException($"wrapping key '{key.Id.Name}' is a {modulus.Length * 8}-bit RSA key; at least 2048 bits are needed");
        }
        return new WrappingKey(key.Id, new RSAParameters { Modulus = modulus, Exponent = exponent });
    }

    public byte[] Wrap(ReadOnlySpan<byte> plaintext)
    {
        // A fresh RSA object per call: instances are not documented as safe to share between threads.
        using var rsa = RSA.Create(_public);
        return rsa.Encrypt(plaintext, RSAEncryptionPadding.OaepSHA256);
    }
}
