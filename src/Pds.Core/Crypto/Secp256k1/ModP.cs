using System.Runtime.CompilerServices;

namespace Pds.Core.Crypto.Secp256k1;

/// <summary>
/// Arithmetic in the base field of secp256k1, p = 2^256 - 2^32 - 977. Inputs and outputs are
/// always fully reduced (0 &lt;= x &lt; p). Reduction uses 2^256 = 2^32 + 977 (mod p): the high
/// half of a product is multiplied by that 33-bit constant and folded into the low half.
/// </summary>
/// <remarks>
/// The public operations are NoInlining on purpose: each is then compiled once with all of its
/// small helpers inlined. Inlined into a large caller (an inversion, a point addition), they
/// exhaust the JIT's inlining budget, and the helpers beneath them become real calls on a
/// struct in memory, which ran three times slower.
/// </remarks>
internal static class ModP
{
    /// <summary>2^256 mod p = 2^256 - p.</summary>
    public const ulong Fold = 0x1_0000_03D1;

    /// <summary>p itself, for tests and for the conditional subtraction's complement.</summary>
    public static readonly U256 P = new(0xFFFFFFFE_FFFFFC2F, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);

    private static readonly U256 Complement = new(Fold, 0, 0, 0);

    public static U256 One => new(1, 0, 0, 0);

    /// <summary>Any 256-bit value mod p: it is below 2^256 &lt; 2p, so one conditional subtraction does.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static U256 Reduce(in U256 value) => U256.SubtractIfAtLeast(value, 0, Complement);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static U256 Add(in U256 a, in U256 b)
    {
        var sum = U256.Add(a, b, out var carry);
        return U256.SubtractIfAtLeast(sum, carry, Complement);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static U256 Sub(in U256 a, in U256 b)
    {
        var difference = U256.Sub(a, b, out var borrow);
        // On a borrow the true result is difference + p, which modulo 2^256 is difference - Fold.
        var ignored = 0UL;
        return new U256(
            U256.SubBorrow(difference.L0, Fold & U256.Mask(borrow), ref ignored),
            U256.SubBorrow(difference.L1, 0, ref ignored),
            U256.SubBorrow(difference.L2, 0, ref ignored),
            U256.SubBorrow(difference.L3, 0, ref ignored));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static U256 Multiply(in U256 a, in U256 b) => Reduce(U512.Multiply(a, b));

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static U256 Square(in U256 a) => Reduce(U512.Square(a));

    /// <summary>a * small for a small constant such as 3b = 21.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static U256 Multiply(in U256 a, ulong small)
    {
        var carry = 0UL;
        var t0 = U256.MulAdd(a.L0, small, 0, ref carry);
        var t1 = U256.MulAdd(a.L1, small, 0, ref carry);
        var t2 = U256.MulAdd(a.L2, small, 0, ref carry);
        var t3 = U256.MulAdd(a.L3, small, 0, ref carry);
        return FoldTop(new U256(t0, t1, t2, t3), carry);
    }

    /// <summary>a^(2^count), for the inversion chain.</summary>
    public static U256 SquareTimes(in U256 a, int count)
    {
        var result = a;
        for (var i = 0; i < count; i++)
        {
            result = Square(result);
        }
        return result;
    }

    /// <summary>
    /// a^(p-2) = a^-1 for a != 0 (and 0 for 0), by a fixed addition chain. p - 2 in binary is
    /// 223 ones, a zero, 22 ones, then 0000101101; the chain builds a^(2^k - 1) for the run
    /// lengths it needs (2, 3, 11, 22, 223) and strings them together. The exponent is public,
    /// so the sequence of operations is the same for every input.
    /// </summary>
    public static U256 Invert(in U256 a)
    {
        var x2 = Multiply(Square(a), a);
        var x3 = Multiply(Square(x2), a);
        var x6 = Multiply(SquareTimes(x3, 3), x3);
        var x9 = Multiply(SquareTimes(x6, 3), x3);
        var x11 = Multiply(SquareTimes(x9, 2), x2);
        var x22 = Multiply(SquareTimes(x11, 11), x11);
        var x44 = Multiply(SquareTimes(x22, 22), x22);
        var x88 = Multiply(SquareTimes(x44, 44), x44);
        var x176 = Multiply(SquareTimes(x88, 88), x88);
        var x220 = Multiply(SquareTimes(x176, 44), x44);
        var x223 = Multiply(SquareTimes(x220, 3), x3);
        // 223 ones, then "0" followed by 22 ones.
        var t = Multiply(SquareTimes(x223, 23), x22);
        // The last ten bits 0000101101: "00001", "011", "01".
        t = Multiply(SquareTimes(t, 5), a);
        t = Multiply(SquareTimes(t, 3), x2);
        return Multiply(SquareTimes(t, 2), a);
    }

    /// <summary>
    /// Reduces a 512-bit product. With t = low + high * 2^256 and 2^256 = Fold (mod p), the first
    /// fold low + high * Fold is below 2^256 + 2^(256+33), leaving a top limb under 2^34; folding
    /// that again leaves less than 2^256 + 2^67, which is below 2p.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static U256 Reduce(in U512 t)
    {
        var carry = 0UL;
        var u0 = U256.MulAdd(t.L4, Fold, t.L0, ref carry);
        var u1 = U256.MulAdd(t.L5, Fold, t.L1, ref carry);
        var u2 = U256.MulAdd(t.L6, Fold, t.L2, ref carry);
        var u3 = U256.MulAdd(t.L7, Fold, t.L3, ref carry);
        return FoldTop(new U256(u0, u1, u2, u3), carry);
    }

    /// <summary>(value + top * 2^256) mod p for top below 2^35: top * Fold fits 68 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static U256 FoldTop(in U256 value, ulong top)
    {
        var high = U256.Multiply(top, Fold, out var low);
        var carry = 0UL;
        var folded = new U256(
            U256.AddCarry(value.L0, low, ref carry),
            U256.AddCarry(value.L1, high, ref carry),
            U256.AddCarry(value.L2, 0, ref carry),
            U256.AddCarry(value.L3, 0, ref carry));
        // folded + carry * 2^256 < 2^256 + 2^68 < 2p.
        return U256.SubtractIfAtLeast(folded, carry, Complement);
    }
}
