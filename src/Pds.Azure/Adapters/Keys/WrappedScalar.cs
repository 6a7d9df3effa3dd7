using System.Security.Cryptography;
using System.Text;
using Pds.Core.Crypto;

namespace Pds.Azure.Adapters.Keys;

/// <summary>
/// What wrap mode wraps: the 32-byte private scalar followed by SHA-256 of the owner, so a
/// wrapped key copied into another account's row (or a reservation's into an account's) does not
/// open. RSA-OAEP has no associated data, hence the binding inside the plaintext.
/// </summary>
internal static class WrappedScalar
{
    private const int ScalarLength = 32;

    public const int Length = ScalarLength + SHA256.HashSizeInBytes;

    /// <summary>A pinned buffer; the caller zeroes it.</summary>
    public static byte[] Payload(Keypair key, KeyOwner owner)
    {
        var payload = GC.AllocateArray<byte>(Length, pinned: true);
        var scalar = key.ExportPrivateKey();
        try
        {
            scalar.CopyTo(payload, 0);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scalar);
        }
        Binding(key.KeyType, owner).CopyTo(payload, ScalarLength);
        return payload;
    }

    /// <summary>The key in an unwrapped payload, checked against its owner and stored public key.</summary>
    public static Keypair Open(ReadOnlySpan<byte> payload, KeyOwner owner, PublicKey expected)
    {
        if (payload.Length != Length)
        {
            throw new KeyWrappingException($"the wrapped key of {owner} unwraps to {payload.Length} bytes, not {Length}");
        }
        if (!CryptographicOperations.FixedTimeEquals(payload[ScalarLength..], Binding(expected.KeyType, owner)))
        {
            throw new KeyWrappingException($"the wrapped key in row {owner} was wrapped for another owner");
        }
        Keypair key;
        try
        {
            key = Keypair.Import(expected.KeyType, payload[..ScalarLength]);
        }
        catch (CryptoFormatException e)
        {
            throw new KeyWrappingException($"the wrapped key of {owner} is not a valid private key", e);
        }
        if (!key.PublicKey.Equals(expected))
        {
            key.Dispose();
            throw new KeyWrappingException($"the wrapped key of {owner} does not match its stored public key");
        }
        return key;
    }

    private static byte[] Binding(KeyType type, KeyOwner owner) =>
        SHA256.HashData(Encoding.UTF8.GetBytes($"pds wrapped key v1\n{type}\n{owner.RowKey}"));
}
