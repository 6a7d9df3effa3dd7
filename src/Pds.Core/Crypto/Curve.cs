using System.Numerics;
using System.Security.Cryptography;

namespace Pds.Core.Crypto;

/// <summary>
/// Short-Weierstrass parameters of one curve (y^2 = x^3 + ax + b mod p, prime order n,
/// cofactor 1, so any affine point on the curve is a valid public key).
/// </summary>
internal sealed class Curve
{
    public const int FieldLength = 32;

    public static readonly Curve Secp256k1 = new(
        KeyType.Secp256k1,
        ECCurve.CreateFromFriendlyName("secP256k1"),
        p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F",
        a: "00",
        b: "07",
        n: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");

    public static readonly Curve P256 = new(
        KeyType.P256,
        ECCurve.NamedCurves.nistP256,
        p: "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF",
        a: "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFC",
        b: "5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B",
        n: "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");

    private readonly BigInteger _sqrtExponent;
    private readonly byte[] _order;
    private readonly byte[] _halfOrder;

    private Curve(KeyType type, ECCurve named, string p, string a, string b, string n)
    {
        Type = type;
        Named = named;
        P = Hex(p);
        A = Hex(a);
        B = Hex(b);
        N = Hex(n);
        HalfN = N >> 1;
        // Both primes are 3 mod 4, so a square root of v is v^((p+1)/4) when one exists.
        _sqrtExponent = (P + 1) >> 2;
        _order = Scalar.ToBytes(N);
        _halfOrder = Scalar.ToBytes(HalfN);
    }

    public KeyType Type { get; }
    public ECCurve Named { get; }
    public BigInteger P { get; }
    public BigInteger A { get; }
    public BigInteger B { get; }
    public BigInteger N { get; }
    public BigInteger HalfN { get; }

    /// <summary>n and floor(n/2) as 32-byte big-endian, so range checks on signatures need no BigInteger.</summary>
    public ReadOnlySpan<byte> Order => _order;
    public ReadOnlySpan<byte> HalfOrder => _halfOrder;

    public static Curve For(KeyType type) => type switch
    {
        KeyType.Secp256k1 => Secp256k1,
        KeyType.P256 => P256,
        _ => throw KeyTypeExtensions.Unknown(type),
    };

    /// <summary>The y with the requested parity for x, or null when x is not on the curve.</summary>
    public BigInteger? DecompressY(BigInteger x, bool odd)
    {
        if (x >= P)
        {
            return null;
        }
        var rhs = RightHandSide(x);
        var y = BigInteger.ModPow(rhs, _sqrtExponent, P);
        if (y * y % P != rhs)
        {
            return null;
        }
        if (y.IsEven == odd)
        {
            // y = 0 has no odd partner; it cannot occur on prime-order curves but costs nothing to refuse.
            y = y.IsZero ? P : P - y;
        }
        return y < P ? y : null;
    }

    public bool IsOnCurve(BigInteger x, BigInteger y) =>
        x < P && y < P && y * y % P == RightHandSide(x);

    private BigInteger RightHandSide(BigInteger x) => (BigInteger.ModPow(x, 3, P) + A * x + B) % P;

    private static BigInteger Hex(string hex) => Scalar.FromBytes(Convert.FromHexString(hex));
}
