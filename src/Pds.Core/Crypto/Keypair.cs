using System.Security.Cryptography;
using Pds.Core.Crypto.Secp256k1;

namespace Pds.Core.Crypto;

/// <summary>
/// An in-process private key. Thread-safe. Dispose zeroes the scalar and frees native keys;
/// if a keypair is never disposed, its finalizer zeroes the scalar and the native keys free
/// themselves through theirs. ToString never shows the secret.
/// </summary>
public sealed class Keypair : ISigner, IDisposable
{
    // Pinned so the GC never leaves copies of the secret behind when it compacts.
    private readonly byte[] _scalar = GC.AllocateArray<byte>(Curve.FieldLength, pinned: true);
    private readonly EcdsaPool _signers;
    // Guards the scalar against Dispose zeroing it while a copy is being taken.
    private readonly Lock _gate = new();
    private bool _disposed;

    private Keypair(PublicKey publicKey, ReadOnlySpan<byte> scalar, ECDsa first)
    {
        PublicKey = publicKey;
        scalar.CopyTo(_scalar);
        _signers = new EcdsaPool(CreateSigner, first);
    }

    public PublicKey PublicKey { get; }

    public KeyType KeyType => PublicKey.KeyType;

    public static Keypair Generate(KeyType type) => FromEcdsa(ECDsa.Create(Curve.For(type).Named), type);

    /// <summary>Imports a raw 32-byte big-endian private scalar d, 1 &lt;= d &lt; n.</summary>
    public static Keypair Import(KeyType type, ReadOnlySpan<byte> privateScalar)
    {
        var curve = Curve.For(type);
        if (privateScalar.Length != Curve.FieldLength || !Scalar.IsValid(privateScalar, curve.Order))
        {
            throw new CryptoFormatException($"private key must be {Curve.FieldLength} bytes in [1, n-1]");
        }
        var parameters = new ECParameters { Curve = curve.Named, D = privateScalar.ToArray() };
        try
        {
            // With only D given, the platform derives the public point.
            return FromEcdsa(ECDsa.Create(parameters), type);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
    }

    public byte[] ExportPrivateKey()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return (byte[])_scalar.Clone();
        }
    }

    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, digest);
        return SignDigest(digest);
    }

    /// <summary>Signs a 32-byte digest; the result is always 64-byte r||s with low S.</summary>
    public byte[] SignDigest(ReadOnlySpan<byte> digest)
    {
        if (digest.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException("digest must be 32 bytes (SHA-256)", nameof(digest));
        }
        if (KeyType == KeyType.Secp256k1)
        {
            return SignSecp256k1(digest);
        }
        byte[] signature;
        using (var lease = _signers.Rent())
        {
            signature = lease.Ecdsa.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        LowS.Normalize(KeyType, signature);
        return signature;
    }

    /// <summary>
    /// secp256k1 signs in managed code (Crypto/Secp256k1): OpenSSL has no specialised code for
    /// this curve and took about six times longer per signature. The output is low-S already,
    /// so LowS.Normalize is not needed on this path.
    /// </summary>
    private byte[] SignSecp256k1(ReadOnlySpan<byte> digest)
    {
        Span<byte> scalar = stackalloc byte[Curve.FieldLength];
        try
        {
            // Copied under the gate so Dispose cannot zero the key halfway through the copy;
            // the signing itself runs outside it, so threads sharing a keypair do not queue.
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                _scalar.CopyTo(scalar);
            }
            var signature = new byte[LowS.SignatureLength];
            Secp256k1Signer.Sign(scalar, digest, signature);
            return signature;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scalar);
        }
    }

    public ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        return cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled<byte[]>(cancellationToken)
            : ValueTask.FromResult(Sign(data.Span));
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            CryptographicOperations.ZeroMemory(_scalar);
        }
        _signers.Dispose();
        GC.SuppressFinalize(this);
    }

    ~Keypair() => CryptographicOperations.ZeroMemory(_scalar);

    public override string ToString() => $"Keypair({KeyType.JwtAlgorithm()}, {PublicKey.ToDidKey()})";

    private static Keypair FromEcdsa(ECDsa ecdsa, KeyType type)
    {
        try
        {
            var parameters = ecdsa.ExportParameters(includePrivateParameters: true);
            try
            {
                var publicKey = PublicKey.FromXY(type, parameters.Q.X, parameters.Q.Y);
                return new Keypair(publicKey, parameters.D, ecdsa);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(parameters.D);
            }
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
    }

    private ECDsa CreateSigner()
    {
        var parameters = PublicKey.ToParameters();
        parameters.D = ExportPrivateKey();
        try
        {
            return ECDsa.Create(parameters);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
    }
}
