using System.Numerics;
using Pds.Core.Crypto.Secp256k1;
using static Pds.Core.Tests.Crypto.Secp256k1TestMath;

namespace Pds.Core.Tests.Crypto;

/// <summary>Complete projective addition and fixed-base k*G against an affine BigInteger reference.</summary>
public class Secp256k1PointTests
{
    [Fact]
    public void MultiplyBase_EdgeScalars_MatchesReference()
    {
        var n = N;
        BigInteger[] scalars =
        [
            1, 2, 3, 4, 15, 16, 17, 255, 256, n - 1, n - 2, n - 16, n >> 1, (n >> 1) + 1,
            // Many zero digits: lone set bits in high, low and middle windows.
            BigInteger.One << 252, BigInteger.One << 128, (BigInteger)0xF << 200, ((BigInteger)0xA << 128) + 5,
            // Runs of ones (every digit negative, carries all the way up) and alternating bytes.
            (BigInteger.One << 252) - 1, Parse("0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F"),
            Parse("F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0") % n,
        ];
        foreach (var k in scalars)
        {
            AssertMultiplyBase(k);
        }
    }

    [Fact]
    public void MultiplyBase_RandomScalars_MatchesReference()
    {
        foreach (var k in Values(21, 60, N).Where(k => !k.IsZero).Append(Max256 % N).Append((BigInteger.One << 256) - (BigInteger.One << 200)))
        {
            AssertMultiplyBase(k);
        }
    }

    [Fact]
    public void MultiplyBase_Zero_IsIdentity()
    {
        var point = Generator.Multiply(default);
        Assert.Equal(0, Big(point.X));
        Assert.Equal(0, Big(point.Z));
        Assert.NotEqual(0, Big(point.Y));
    }

    [Fact]
    public void Add_DoublingIdentityAndInverse_NeedNoSpecialCase()
    {
        var p = P;
        var g = ProjectivePoint.FromAffine(Generator.G);
        var identity = ProjectivePoint.Identity;
        var twoG = ReferenceMultiply(2)!.Value;

        // P + P is a doubling, through the same formulas as any other sum.
        AssertAffine(twoG, ProjectivePoint.Add(g, g));
        AssertAffine(twoG, ProjectivePoint.AddAffine(g, Generator.G));
        // Identity on either side.
        AssertAffine(G, ProjectivePoint.Add(identity, g));
        AssertAffine(G, ProjectivePoint.Add(g, identity));
        AssertAffine(G, ProjectivePoint.AddAffine(identity, Generator.G));
        Assert.Equal(0, Big(ProjectivePoint.Add(identity, identity).Z));
        // P + (-P) is the identity (Z = 0).
        var minusG = new AffinePoint(Generator.G.X, Limbs(p - G.Y));
        Assert.Equal(0, Big(ProjectivePoint.AddAffine(g, minusG).Z));
        Assert.Equal(0, Big(ProjectivePoint.Add(g, ProjectivePoint.FromAffine(minusG)).Z));
        // Inputs with Z != 1: a scaled copy of 2G added to G.
        var scale = Limbs(123456789);
        var scaled = new ProjectivePoint(ModP.Multiply(Limbs(twoG.X), scale), ModP.Multiply(Limbs(twoG.Y), scale), scale);
        AssertAffine(ReferenceMultiply(3)!.Value, ProjectivePoint.Add(scaled, g));
        AssertAffine(ReferenceMultiply(4)!.Value, ProjectivePoint.Add(scaled, scaled));
        AssertAffine(ReferenceMultiply(3)!.Value, ProjectivePoint.AddAffine(scaled, Generator.G));
    }

    [Fact]
    public void Lookup_EveryDigit_ReturnsItsEntryOrZero()
    {
        var window = Enumerable.Range(1, Generator.EntriesPerWindow)
            .Select(j => new AffinePoint(Limbs(j), Limbs(1000 + j)))
            .ToArray();
        for (var digit = 0; digit <= Generator.EntriesPerWindow; digit++)
        {
            var entry = Generator.Lookup(window, (ulong)digit);
            Assert.Equal(digit, Big(entry.X));
            Assert.Equal(digit == 0 ? 0 : 1000 + digit, Big(entry.Y));
        }
    }

    [Fact]
    public void Recode_AnyScalar_SignedDigitsSumBackToIt()
    {
        BigInteger[] scalars = [0, 1, 31, 32, 33, 63, 64, N - 1, Max256, Parse("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"), .. Values(22, 500, BigInteger.One << 256)];
        foreach (var k in scalars)
        {
            var limbs = Limbs(k);
            var carry = 0;
            var sum = BigInteger.Zero;
            for (var window = 0; window < Generator.Windows; window++)
            {
                var digit = Generator.Recode(limbs.Bits(window * Generator.WindowBits, Generator.WindowBits), ref carry);
                Assert.InRange(digit, -(Generator.EntriesPerWindow - 1), Generator.EntriesPerWindow);
                sum += digit * BigInteger.Pow(2, window * Generator.WindowBits);
            }
            Assert.Equal(0, carry);
            Assert.Equal(k, sum);
        }
    }

    private static void AssertMultiplyBase(BigInteger k)
    {
        var expected = ReferenceMultiply(k) ?? throw new InvalidOperationException("k*G is the identity");
        var actual = Generator.Multiply(Limbs(k));
        AssertAffine(expected, actual);
        Assert.Equal(expected.X, Big(actual.AffineX()));
    }

    private static void AssertAffine((BigInteger X, BigInteger Y) expected, ProjectivePoint actual)
    {
        Assert.NotEqual(0, Big(actual.Z));
        var affine = actual.ToAffine();
        Assert.Equal(expected.X, Big(affine.X));
        Assert.Equal(expected.Y, Big(affine.Y));
    }

    private static BigInteger Parse(string hex) => CryptoTestData.Unsigned(Convert.FromHexString(hex));
}
