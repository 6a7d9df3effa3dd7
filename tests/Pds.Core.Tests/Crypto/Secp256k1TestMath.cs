using System.Numerics;
using Pds.Core.Crypto;
using Pds.Core.Crypto.Secp256k1;

namespace Pds.Core.Tests.Crypto;

/// <summary>
/// BigInteger references for the managed secp256k1 code. The curve numbers come from OpenSSL's
/// explicit parameters, not from the code under test, so a wrong constant there shows up here.
/// </summary>
internal static class Secp256k1TestMath
{
    private static readonly Lazy<System.Security.Cryptography.ECCurve> Explicit =
        new(() => CryptoTestData.Explicit(KeyType.Secp256k1));

    public static BigInteger P => CryptoTestData.Unsigned(Explicit.Value.Prime!);

    public static BigInteger N => CryptoTestData.Unsigned(Explicit.Value.Order!);

    public static (BigInteger X, BigInteger Y) G =>
        (CryptoTestData.Unsigned(Explicit.Value.G.X!), CryptoTestData.Unsigned(Explicit.Value.G.Y!));

    public static readonly BigInteger Max256 = (BigInteger.One << 256) - 1;

    public static BigInteger Big(in U256 value) =>
        value.L0 + ((BigInteger)value.L1 << 64) + ((BigInteger)value.L2 << 128) + ((BigInteger)value.L3 << 192);

    public static U256 Limbs(BigInteger value)
    {
        Assert.InRange(value, BigInteger.Zero, Max256);
        var mask = (BigInteger)ulong.MaxValue;
        return new U256((ulong)(value & mask), (ulong)((value >> 64) & mask), (ulong)((value >> 128) & mask), (ulong)(value >> 192));
    }

    public static BigInteger Random(Random random, BigInteger below)
    {
        var bytes = new byte[33];
        random.NextBytes(bytes);
        return new BigInteger(bytes, isUnsigned: true) % below;
    }

    /// <summary>Random values, some with long runs of zero or one bits, which stress carries.</summary>
    public static IEnumerable<BigInteger> Values(int seed, int count, BigInteger below)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var value = Random(random, below);
            switch (i % 4)
            {
                case 1:
                    // Clear a random run of 64 bits, as in a limb of zeros.
                    value &= ~(((BigInteger.One << 64) - 1) << random.Next(0, 192));
                    break;
                case 2:
                    value = (below - 1 - Random(random, BigInteger.One << random.Next(1, 128))) % below;
                    break;
            }
            yield return value;
        }
    }

    /// <summary>0, 1, 2, m - 1, m - 2 and a few values with all-ones or all-zero limbs.</summary>
    public static BigInteger[] Edges(BigInteger modulus) =>
    [
        0, 1, 2, 3, modulus - 1, modulus - 2, modulus >> 1, (modulus >> 1) + 1,
        ulong.MaxValue, (BigInteger)ulong.MaxValue << 64, BigInteger.One << 255, (BigInteger.One << 128) - 1,
    ];

    // A plain affine reference: variable-time, branchy, obviously correct.
    public static (BigInteger X, BigInteger Y)? AffineAdd((BigInteger X, BigInteger Y)? a, (BigInteger X, BigInteger Y)? b)
    {
        if (a is not { } p)
        {
            return b;
        }
        if (b is not { } q)
        {
            return a;
        }
        var modulus = P;
        BigInteger slope;
        if (p.X == q.X)
        {
            if ((p.Y + q.Y) % modulus == 0)
            {
                return null;
            }
            slope = 3 * p.X * p.X * Inverse(2 * p.Y, modulus);
        }
        else
        {
            slope = (q.Y - p.Y) * Inverse(q.X - p.X, modulus);
        }
        var x = Mod(slope * slope - p.X - q.X, modulus);
        var y = Mod(slope * (p.X - x) - p.Y, modulus);
        return (x, y);
    }

    public static (BigInteger X, BigInteger Y)? ReferenceMultiply(BigInteger k)
    {
        (BigInteger X, BigInteger Y)? result = null;
        for (var bit = (int)k.GetBitLength() - 1; bit >= 0; bit--)
        {
            result = AffineAdd(result, result);
            if (!(k >> bit).IsEven)
            {
                result = AffineAdd(result, G);
            }
        }
        return result;
    }

    public static BigInteger Mod(BigInteger value, BigInteger modulus)
    {
        var r = value % modulus;
        return r.Sign < 0 ? r + modulus : r;
    }

    public static BigInteger Inverse(BigInteger value, BigInteger modulus) =>
        BigInteger.ModPow(Mod(value, modulus), modulus - 2, modulus);
}
