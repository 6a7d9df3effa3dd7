using System.Security.Cryptography;
using Pds.Core.Crypto;

namespace Pds.Azure.KeyVault;

/// <summary>
/// An <see cref="ISigner"/> whose private key never leaves Key Vault. Pinned to one key version so
/// a rotation in the vault cannot silently change the key behind a published DID document.
/// Key Vault does not promise low-S, so every signature is normalised and then verified locally.
/// </summary>
public sealed class KeyVaultSigner : ISigner
{
    private readonly KeyVaultKeysClient _client;

    public KeyVaultSigner(KeyVaultKeysClient client, KeyVaultKey key)
        : this(client, (key ?? throw new ArgumentNullException(nameof(key))).Id, key.ToPublicKey())
    {
    }

    /// <summary>
    /// A signer for a key version whose public key was stored earlier, so that getting it costs no
    /// vault call. A stored public key that is not the vault's fails at the first signature, which
    /// is verified against it.
    /// </summary>
    public KeyVaultSigner(KeyVaultKeysClient client, KeyVaultKeyId keyId, PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(keyId);
        ArgumentNullException.ThrowIfNull(publicKey);
        if (keyId.VaultUri != client.VaultUri)
        {
            throw new ArgumentException("key id belongs to another vault than the client's", nameof(keyId));
        }
        _client = client;
        KeyId = keyId;
        PublicKey = publicKey;
    }

    public KeyVaultKeyId KeyId { get; }

    public PublicKey PublicKey { get; }

    /// <summary>Fetches the key (latest version unless one is given) and pins the version it got.</summary>
    public static async Task<KeyVaultSigner> CreateAsync(KeyVaultKeysClient client, string name, string? version = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var key = await client.GetKeyAsync(name, version, cancellationToken).ConfigureAwait(false);
        return new KeyVaultSigner(client, key);
    }

    public async ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var digest = SHA256.HashData(data.Span);
        var signature = await _client.SignAsync(KeyId, PublicKey.JwtAlgorithm, digest, cancellationToken).ConfigureAwait(false);
        try
        {
            LowS.Normalize(PublicKey.KeyType, signature);
        }
        catch (CryptoFormatException e)
        {
            throw new KeyVaultException(0, null, $"vault signature for {KeyId.Name} is malformed: {e.Message}", e);
        }
        if (!PublicKey.VerifyDigest(digest, signature))
        {
            throw new KeyVaultException(0, null, $"vault signature for {KeyId.Name} does not verify with its public key");
        }
        return signature;
    }

    public override string ToString() => $"KeyVaultSigner({KeyId}, {PublicKey})";
}
