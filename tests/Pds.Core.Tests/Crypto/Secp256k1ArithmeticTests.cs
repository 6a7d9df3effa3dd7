using System.Numerics;
using Pds.Core.Crypto.Secp256k1;
using static Pds.Core.Tests.Crypto.Secp256k1TestMath;

namespace Pds.Core.Tests.Crypto;

/// <summary>The managed secp256k1 field (mod p) and scalar (mod n) arithmetic against BigInteger.</summary>
public class Secp256k1ArithmeticTests
{
    private const int Count = 3000;

    [Fact]
    public void Constants_MatchOpenSsl()
    {
        Assert.Equal(P, Big(ModP.P));
        Assert.Equal(P, (BigInteger.One << 256) - ModP.Fold);
        Assert.Equal(N, Big(ModN.N));
        Assert.Equal(N >> 1, Big(ModN.HalfN));
        Assert.Equal(G.X, Big(Generator.G.X));
        Assert.Equal(G.Y, Big(Generator.G.Y));
    }

    /// <summary>The operations both moduli have, so one test body checks each of them.</summary>
    private sealed record Ring(
        string Name,
        BigInteger Modulus,
        Func<U256, U256> Reduce,
        Func<U256, U256, U256> Add,
        Func<U256, U256, U256> Multiply,
        Func<U256, U256> Square,
        Func<U256, U256> Invert)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<string> Rings => new("p", "n");

    private static Ring Get(string name) => name == "p"
        ? new Ring("p", P, a => ModP.Reduce(a), (a, b) => ModP.Add(a, b), (a, b) => ModP.Multiply(a, b), a => ModP.Square(a), a => ModP.Invert(a))
        : new Ring("n", N, a => ModN.Reduce(a), (a, b) => ModN.Add(a, b), (a, b) => ModN.Multiply(a, b), a => ModN.Square(a), a => ModN.Invert(a));

    [Theory]
    [MemberData(nameof(Rings))]
    public void Reduce_AnyUnreducedValue_MatchesBigInteger(string name)
    {
        var ring = Get(name);
        var m = ring.Modulus;
        BigInteger[] inputs = [.. Edges(m), m, m + 1, m + 977, Max256, Max256 - 1, .. Values(1, Count, BigInteger.One << 256)];
        foreach (var a in inputs)
        {
            Assert.Equal(a % m, Big(ring.Reduce(Limbs(a))));
        }
    }

    [Theory]
    [MemberData(nameof(Rings))]
    public void MultiplySquareAndAdd_RandomAndEdges_MatchBigInteger(string name)
    {
        var ring = Get(name);
        var m = ring.Modulus;
        var inputs = Edges(m).Concat(Values(2, Count, m)).ToArray();
        var partners = Edges(m).Reverse().Concat(Values(3, Count, m)).ToArray();
        for (var i = 0; i < inputs.Length; i++)
        {
            var (a, b) = (inputs[i], partners[i]);
            Assert.Equal(a * b % m, Big(ring.Multiply(Limbs(a), Limbs(b))));
            Assert.Equal(a * a % m, Big(ring.Square(Limbs(a))));
            Assert.Equal((a + b) % m, Big(ring.Add(Limbs(a), Limbs(b))));
        }
        foreach (var a in Edges(m))
        {
            foreach (var b in Edges(m))
            {
                Assert.Equal(a * b % m, Big(ring.Multiply(Limbs(a), Limbs(b))));
                Assert.Equal((a + b) % m, Big(ring.Add(Limbs(a), Limbs(b))));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Rings))]
    public void Multiply_UnreducedInputs_StillReducesFully(string name)
    {
        // Products of values up to 2^256 - 1 push every fold to its limit.
        var ring = Get(name);
        var m = ring.Modulus;
        BigInteger[] inputs = [Max256, Max256 - 1, m, m + 1, m + 12345, .. Values(4, 200, BigInteger.One << 256)];
        foreach (var a in inputs)
        {
            foreach (var b in inputs.Take(5))
            {
                Assert.Equal(a * b % m, Big(ring.Multiply(Limbs(a), Limbs(b))));
            }
            Assert.Equal(a * a % m, Big(ring.Square(Limbs(a))));
        }
    }

    [Theory]
    [MemberData(nameof(Rings))]
    public void Invert_RandomAndEdges_IsTheInverse(string name)
    {
        var ring = Get(name);
        var m = ring.Modulus;
        foreach (var a in Edges(m).Concat(Values(7, 300, m)))
        {
            var expected = a.IsZero ? 0 : BigInteger.ModPow(a, m - 2, m);
            Assert.Equal(expected, Big(ring.Invert(Limbs(a))));
        }
    }

    [Fact]
    public void FieldSubAndSmallMultiply_RandomAndEdges_MatchBigInteger()
    {
        var p = P;
        var inputs = Edges(p).Concat(Values(5, Count, p)).ToArray();
        var partners = Edges(p).Reverse().Concat(Values(6, Count, p)).ToArray();
        for (var i = 0; i < inputs.Length; i++)
        {
            var (a, b) = (inputs[i], partners[i]);
            Assert.Equal(Mod(a - b, p), Big(ModP.Sub(Limbs(a), Limbs(b))));
            Assert.Equal(a * 21 % p, Big(ModP.Multiply(Limbs(a), 21)));
        }
        foreach (var a in Edges(p))
        {
            foreach (var b in Edges(p))
            {
                Assert.Equal(Mod(a - b, p), Big(ModP.Sub(Limbs(a), Limbs(b))));
            }
        }
    }

    [Fact]
    public void ScalarRange_AnyValue_ValidExactlyFromOneToNMinusOne()
    {
        var n = N;
        BigInteger[] inputs = [.. Edges(n), n, n + 1, Max256, Max256 - 1, .. Values(8, Count, BigInteger.One << 256)];
        foreach (var a in inputs)
        {
            var valid = a >= 1 && a < n;
            Assert.Equal(valid ? ulong.MaxValue : 0UL, ModN.IsValidMask(Limbs(a)));
        }
    }

    [Fact]
    public void LowS_EitherSideOfHalfN_KeepsOrNegates()
    {
        var n = N;
        var half = n >> 1;
        foreach (var s in new BigInteger[] { 1, 2, half - 1, half, half + 1, half + 2, n - 2, n - 1 }.Concat(Values(13, Count, n)))
        {
            var expected = s > half ? n - s : s;
            Assert.Equal(expected, Big(ModN.LowS(Limbs(s))));
        }
    }

    [Fact]
    public void Bits_EveryPositionAndWidth_MatchesShift()
    {
        foreach (var a in Values(14, 40, BigInteger.One << 256).Append(Max256))
        {
            var limbs = Limbs(a);
            foreach (var width in new[] { 1, 4, 5, 6, 7 })
            {
                // Windows straddle limb boundaries (6 does not divide 64) and run past bit 255.
                for (var start = 0; start < 256; start++)
                {
                    Assert.Equal((int)((a >> start) & ((1 << width) - 1)), limbs.Bits(start, width));
                }
            }
        }
    }

    [Fact]
    public void Masks_ZeroAndNonZero_AllOnesOrZero()
    {
        Assert.Equal(ulong.MaxValue, U256.ZeroMask(0));
        foreach (var v in new ulong[] { 1, 2, 15, 1UL << 63, ulong.MaxValue, 0x8000_0000_0000_0001 })
        {
            Assert.Equal(0UL, U256.ZeroMask(v));
        }
        Assert.Equal(ulong.MaxValue, default(U256).IsZeroMask());
        Assert.Equal(0UL, new U256(0, 0, 0, 1UL << 63).IsZeroMask());
        Assert.Equal(0UL, new U256(1, 0, 0, 0).IsZeroMask());
    }

    [Fact]
    public void BigEndianBytes_RoundTrip()
    {
        var random = new Random(15);
        var bytes = new byte[32];
        var back = new byte[32];
        for (var i = 0; i < 200; i++)
        {
            random.NextBytes(bytes);
            var value = U256.FromBigEndian(bytes);
            Assert.Equal(CryptoTestData.Unsigned(bytes), Big(value));
            value.WriteBigEndian(back);
            Assert.Equal(bytes, back);
        }
    }
}
