using System.Numerics;
using System.Security.Cryptography;

namespace Pds.Core.Crypto;

/// <summary>
/// A validated k256 or p256 public key: always a point on the curve, never infinity.
/// Immutable, equal by curve and point, and safe to verify with from many threads at once.
/// </summary>
public sealed partial class PublicKey : IEquatable<PublicKey>
{
    public const int CompressedLength = 1 + Curve.FieldLength;
    public const int UncompressedLength = 1 + 2 * Curve.FieldLength;

    private readonly byte[] _compressed;
    private readonly byte[] _uncompressed;
    private EcdsaPool? _verifiers;

    private PublicKey(KeyType type, BigInteger x, BigInteger y)
    {
        KeyType = type;
        _uncompressed = new byte[UncompressedLength];
        _uncompressed[0] = 0x04;
        Scalar.Write(x, _uncompressed.AsSpan(1, Curve.FieldLength));
        Scalar.Write(y, _uncompressed.AsSpan(1 + Curve.FieldLength));
        _compressed = new byte[CompressedLength];
        _compressed[0] = (byte)(y.IsEven ? 0x02 : 0x03);
        X.CopyTo(_compressed.AsSpan(1));
    }

    public KeyType KeyType { get; }

    /// <summary>The 33-byte SEC1 compressed point (0x02/0x03 || x).</summary>
    public ReadOnlySpan<byte> Compressed => _compressed;

    /// <summary>The affine coordinates, 32 bytes big-endian each (JWK "x" and "y").</summary>
    public ReadOnlySpan<byte> X => _uncompressed.AsSpan(1, Curve.FieldLength);
    public ReadOnlySpan<byte> Y => _uncompressed.AsSpan(1 + Curve.FieldLength);

    public string JwtAlgorithm => KeyType.JwtAlgorithm();

    public static PublicKey FromCompressed(KeyType type, ReadOnlySpan<byte> point)
    {
        var curve = Curve.For(type);
        if (point.Length != CompressedLength)
        {
            throw new CryptoFormatException($"compressed point must be {CompressedLength} bytes, got {point.Length}");
        }
        if (point[0] is not (0x02 or 0x03))
        {
            throw new CryptoFormatException($"compressed point must start with 0x02 or 0x03, got 0x{point[0]:x2}");
        }
        var x = Scalar.FromBytes(point[1..]);
        var y = curve.DecompressY(x, odd: point[0] == 0x03)
            ?? throw new CryptoFormatException($"point is not on {type}");
        return new PublicKey(type, x, y);
    }

    /// <summary>The 65-byte SEC1 uncompressed form 0x04 || x || y.</summary>
    public static PublicKey FromUncompressed(KeyType type, ReadOnlySpan<byte> point)
    {
        if (point.Length != UncompressedLength || point[0] != 0x04)
        {
            throw new CryptoFormatException($"uncompressed point must be 0x04 followed by {2 * Curve.FieldLength} bytes");
        }
        return FromXY(type, point.Slice(1, Curve.FieldLength), point[(1 + Curve.FieldLength)..]);
    }

    /// <summary>Affine coordinates, each exactly 32 bytes big-endian (as in a P-256/secp256k1 JWK).</summary>
    public static PublicKey FromXY(KeyType type, ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        var curve = Curve.For(type);
        if (x.Length != Curve.FieldLength || y.Length != Curve.FieldLength)
        {
            throw new CryptoFormatException($"coordinates must be {Curve.FieldLength} bytes each");
        }
        var bx = Scalar.FromBytes(x);
        var by = Scalar.FromBytes(y);
        if (!curve.IsOnCurve(bx, by))
        {
            throw new CryptoFormatException($"point is not on {type}");
        }
        return new PublicKey(type, bx, by);
    }

    public byte[] ToCompressed() => (byte[])_compressed.Clone();

    public byte[] ToUncompressed() => (byte[])_uncompressed.Clone();

    /// <summary>Strict atproto verification of SHA-256(data): 64-byte r||s, low S only.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, digest);
        return VerifyDigest(digest, signature);
    }

    /// <summary>Strict verification of a 32-byte digest. DER and high-S signatures are false, not errors.</summary>
    public bool VerifyDigest(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature)
    {
        if (digest.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException("digest must be 32 bytes (SHA-256)", nameof(digest));
        }
        if (!LowS.IsStrict(Curve.For(KeyType), signature))
        {
            return false;
        }
        using var lease = Verifiers.Rent();
        return lease.Ecdsa.VerifyHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public bool Equals(PublicKey? other) =>
        other is not null && KeyType == other.KeyType && _compressed.AsSpan().SequenceEqual(other._compressed);

    public override bool Equals(object? obj) => Equals(obj as PublicKey);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(KeyType);
        hash.AddBytes(_compressed);
        return hash.ToHashCode();
    }

    public override string ToString() => ToDidKey();

    public static bool operator ==(PublicKey? left, PublicKey? right) => Equals(left, right);

    public static bool operator !=(PublicKey? left, PublicKey? right) => !Equals(left, right);

    internal ECParameters ToParameters() => new()
    {
        Curve = Curve.For(KeyType).Named,
        Q = new ECPoint { X = X.ToArray(), Y = Y.ToArray() },
    };

    // Never disposed: a public key is a value, and the native handles finalize on their own.
    private EcdsaPool Verifiers =>
        LazyInitializer.EnsureInitialized(ref _verifiers, () => new EcdsaPool(() => ECDsa.Create(ToParameters())));
}
