using System.Security.Cryptography;
using System.Text;

namespace Pds.Core.Crypto;

/// <summary>A private scalar sealed with AES-256-GCM: a fresh 12-byte nonce per seal, a 16-byte tag.</summary>
public sealed record SealedScalar(byte[] Nonce, byte[] Ciphertext, byte[] Tag);

/// <summary>
/// Seals private scalars under the master key. The associated data names the key type and the
/// owner (a DID or a reservation), so a sealed row copied onto another account does not open.
/// </summary>
public sealed class KeySealer : IDisposable
{
    public const int MasterKeyLength = 32;
    private const int NonceLength = 12;
    private const int TagLength = 16;

    // Pinned so the GC never leaves copies of the key behind when it compacts.
    private readonly byte[] _key = GC.AllocateArray<byte>(MasterKeyLength, pinned: true);

    public KeySealer(ReadOnlySpan<byte> masterKey)
    {
        if (masterKey.Length != MasterKeyLength)
        {
            throw new ArgumentException($"the master key must be {MasterKeyLength} bytes", nameof(masterKey));
        }
        masterKey.CopyTo(_key);
    }

    public SealedScalar Seal(ReadOnlySpan<byte> plaintext, KeyType type, string owner)
    {
        var sealedScalar = new SealedScalar(RandomNumberGenerator.GetBytes(NonceLength), new byte[plaintext.Length], new byte[TagLength]);
        using var aes = new AesGcm(_key, TagLength);
        aes.Encrypt(sealedScalar.Nonce, plaintext, sealedScalar.Ciphertext, sealedScalar.Tag, AssociatedData(type, owner));
        return sealedScalar;
    }

    /// <summary>The plaintext, which the caller must zero after use.</summary>
    public byte[] Open(SealedScalar sealedScalar, KeyType type, string owner)
    {
        var plaintext = GC.AllocateArray<byte>(sealedScalar.Ciphertext.Length, pinned: true);
        try
        {
            using var aes = new AesGcm(_key, TagLength);
            aes.Decrypt(sealedScalar.Nonce, sealedScalar.Ciphertext, sealedScalar.Tag, plaintext, AssociatedData(type, owner));
            return plaintext;
        }
        catch (CryptographicException e)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new MasterKeyException(
                $"the key of {owner} does not decrypt: the master key is not the one it was sealed with, or the row was altered", e);
        }
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    private static byte[] AssociatedData(KeyType type, string owner) => Encoding.UTF8.GetBytes($"pds-signing-key\n{type}\n{owner}");
}

/// <summary>Sealed key material does not open under the configured master key.</summary>
public sealed class MasterKeyException(string message, Exception? inner = null) : Exception(message, inner);
