namespace Pds.Core.Crypto;

/// <summary>
/// Something that signs with a private key it may not hold in-process (a local keypair, a
/// Key Vault key). Signatures are 64-byte low-S r||s over SHA-256 of the data.
/// </summary>
public interface ISigner
{
    PublicKey PublicKey { get; }

    ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
