using System.Security.Cryptography;
using Pds.Azure.Storage;
using Pds.Core.Crypto;

namespace Pds.Azure.Adapters.Keys;

/// <summary>
/// No vault: secp256k1 account keys made in-process, their private scalars sealed (AES-256-GCM,
/// the same sealing as the embedded backend) under the key-encryption key from the settings,
/// bound to their owner so a row copied to another account does not open. For local runs
/// against Azurite and for operators who keep the key-encryption key in their own secret store.
/// </summary>
public sealed class SealedKeyStore : TableKeyStore
{
    internal const string SealedMode = "sealed";

    private readonly KeySealer _sealer;

    /// <param name="table">The keys table; the host creates it.</param>
    /// <param name="keyEncryptionKey">32 bytes.</param>
    public SealedKeyStore(TableClient table, ReadOnlySpan<byte> keyEncryptionKey)
        : base(table)
    {
        _sealer = new KeySealer(keyEncryptionKey);
    }

    private protected override string Mode => SealedMode;

    private protected override Task<StoredKey> NewKeyAsync(KeyOwner owner, CancellationToken ct) =>
        Task.FromResult(Bind(owner, Keypair.Generate(KeyType.Secp256k1)));

    private protected override Task<ISigner> OpenAsync(TableEntity row, KeyOwner owner, CancellationToken ct)
    {
        var sealedScalar = new SealedScalar(
            KeyRows.RequiredBinary(row, "Nonce"), KeyRows.RequiredBinary(row, "Ciphertext"), KeyRows.RequiredBinary(row, "Tag"));
        var scalar = _sealer.Open(sealedScalar, KeyType.Secp256k1, owner.RowKey);
        try
        {
            var key = Keypair.Import(KeyType.Secp256k1, scalar);
            if (key.PublicKey != KeyRows.ReadPublicKey(row))
            {
                key.Dispose();
                throw new InvalidDataException($"the key row of {owner.RowKey} opens to a key that is not its public key");
            }
            return Task.FromResult<ISigner>(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scalar);
        }
    }

    private protected override async Task<StoredKey> RebindAsync(TableEntity reserved, KeyOwner from, KeyOwner to, CancellationToken ct) =>
        Bind(to, (Keypair)await OpenAsync(reserved, from, ct).ConfigureAwait(false));

    /// <summary>Nothing outside the table: the row is the key.</summary>
    private protected override Task ReleaseAsync(TableEntity row, CancellationToken ct) => Task.CompletedTask;

    private StoredKey Bind(KeyOwner owner, Keypair key)
    {
        try
        {
            var scalar = key.ExportPrivateKey();
            SealedScalar sealedScalar;
            try
            {
                sealedScalar = _sealer.Seal(scalar, KeyType.Secp256k1, owner.RowKey);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(scalar);
            }
            var row = KeyRows.New(owner, SealedMode, key.PublicKey)
                .Set("Nonce", sealedScalar.Nonce).Set("Ciphertext", sealedScalar.Ciphertext).Set("Tag", sealedScalar.Tag);
            return new StoredKey(row, key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}
