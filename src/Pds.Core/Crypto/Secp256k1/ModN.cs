using System.Runtime.CompilerServices;

namespace Pds.Core.Crypto.Secp256k1;

/// <summary>
/// Arithmetic modulo the group order n of secp256k1. Inputs and outputs are fully reduced.
/// n is just below 2^256, and 2^256 - n = C is a 129-bit constant (limbs C0, C1 and a top 1),
/// so a 512-bit product reduces by folding its high half times C back into the low half.
/// </summary>
/// <remarks>
/// The public operations are NoInlining on purpose: each is then compiled once with all of its
/// small helpers inlined. Inlined into a large caller (an inversion, a point addition), they
/// exhaust the JIT's inlining budget, and the helpers beneath them become real calls on a
/// struct in memory, which ran three times slower.
/// </remarks>
internal static class ModN
{
    private const ulong C0 = 0x402DA1732FC9BEBF;
    private const ulong C1 = 0x4551231950B75FC4;

    public static readonly U256 N = new(0xBFD25E8CD0364141, 0xBAAEDCE6AF48A03B, 0xFFFFFFFFFFFFFFFE, ulong.MaxValue);

    /// <summary>floor(n / 2): a signature's s above it is "high".</summary>
    public static readonly U256 HalfN = new(0xDFE92F46681B20A0, 0x5D576E7357A4501D, 0xFFFFFFFFFFFFFFFF, 0x7FFFFFFFFFFFFFFF);

    private static readonly U256 Complement = new(C0, C1, 1, 0);

    /// <summary>n - 2, the public exponent of <see cref="Invert"/>.</summary>
    private static readonly U256 InverseExponent = new(0xBFD25E8CD036413F, 0xBAAEDCE6AF48A03B, 0xFFFFFFFFFFFFFFFE, ulong.MaxValue);

    /// <summary>Any 256-bit value mod n: it is below 2^256 &lt; 2n, so one conditional subtraction does.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static U256 Reduce(in U256 value) => U256.SubtractIfAtLeast(value, 0, Complement);

    /// <summary>All ones when 1 &lt;= value &lt; n, computed without branching on the value.</summary>
    public static ulong IsValidMask(in U256 value)
    {
        U256.Add(value, Complement, out var atLeastN);
        return ~value.IsZeroMask() & U256.Mask(atLeastN ^ 1);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static U256 Add(in U256 a, in U256 b)
    {
        var sum = U256.Add(a, b, out var carry);
        return U256.SubtractIfAtLeast(sum, carry, Complement);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static U256 Multiply(in U256 a, in U256 b) => Reduce(U512.Multiply(a, b));

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static U256 Square(in U256 a) => Reduce(U512.Square(a));

    /// <summary>
    /// a^(n-2) = a^-1 for a != 0, by left-to-right sliding windows of up to 5 bits over the
    /// exponent: 255 squarings and about 45 multiplications by odd powers a^1, a^3, ..., a^31.
    /// n - 2 is public, so where the windows fall, which power each one uses and which windows
    /// are skipped depend only on n; the sequence of operations is the same for every a.
    /// </summary>
    public static U256 Invert(in U256 a)
    {
        const int MaxWindow = 5;
        Span<U256> odd = stackalloc U256[1 << (MaxWindow - 1)];
        odd[0] = a;
        var square = Square(a);
        for (var i = 1; i < odd.Length; i++)
        {
            odd[i] = Multiply(odd[i - 1], square);
        }
        var result = default(U256);
        var started = false;
        var bit = 255;
        while (bit >= 0)
        {
            if (InverseExponent.Bits(bit, 1) == 0)
            {
                if (started)
                {
                    result = Square(result);
                }
                bit--;
                continue;
            }
            // The longest window ending in a 1 bit: bits [low, bit] with bit - low < MaxWindow.
            var low = Math.Max(bit - MaxWindow + 1, 0);
            while (InverseExponent.Bits(low, 1) == 0)
            {
                low++;
            }
            var width = bit - low + 1;
            var digit = InverseExponent.Bits(low, width);
            if (started)
            {
                for (var i = 0; i < width; i++)
                {
                    result = Square(result);
                }
                result = Multiply(result, odd[digit >> 1]);
            }
            else
            {
                result = odd[digit >> 1];
                started = true;
            }
            bit = low - 1;
        }
        // The table holds powers of a secret; clear it before the stack frame is reused.
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(odd));
        U256.Wipe(ref square);
        return result;
    }

    /// <summary>n - a when a &gt; n/2, else a; the choice is made with a mask.</summary>
    public static U256 LowS(in U256 a)
    {
        U256.Sub(HalfN, a, out var high);
        var negated = U256.Sub(N, a, out _);
        return U256.Select(a, negated, U256.Mask(high));
    }

    /// <summary>
    /// Reduces a 512-bit product t = low + high * 2^256 using 2^256 = C (mod n), in three folds:
    /// low + high * C is below 2^386; folding its top 130 bits leaves less than 2^260; folding
    /// that top limb (at most 8) leaves less than 2^256 + 2^133, which is below 2n for the last
    /// step.
    /// Each fold multiplies the high part by C = C0 + C1 * 2^64 + 2^128 as two independent rows
    /// (by C0 and by C1) plus a shifted copy, so the two carry chains can run side by side.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static U256 Reduce(in U512 t)
    {
        var m = Fold(new U256(t.L0, t.L1, t.L2, t.L3), t.L4, t.L5, t.L6, t.L7, out var m4, out var m5, out var m6);
        // m4..m6 < 2^130: one more fold leaves a top limb of at most 8, and the last fold a carry bit.
        var p = Fold(m, m4, m5, m6, 0, out var p4, out _, out _);
        var q = Fold(p, p4, 0, 0, 0, out var carry, out _, out _);
        return U256.SubtractIfAtLeast(q, carry, Complement);
    }

    /// <summary>low + (h0 + h1 2^64 + h2 2^128 + h3 2^192) * C as limbs 0..3 and 4..6.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static U256 Fold(in U256 low, ulong h0, ulong h1, ulong h2, ulong h3, out ulong r4, out ulong r5, out ulong r6)
    {
        // Row by C0, with low added in: limbs 0..4.
        var c = 0UL;
        var a0 = U256.MulAdd(h0, C0, low.L0, ref c);
        var a1 = U256.MulAdd(h1, C0, low.L1, ref c);
        var a2 = U256.MulAdd(h2, C0, low.L2, ref c);
        var a3 = U256.MulAdd(h3, C0, low.L3, ref c);
        var a4 = c;
        // Row by C1: limbs 1..5.
        c = 0;
        var b0 = U256.MulAdd(h0, C1, 0, ref c);
        var b1 = U256.MulAdd(h1, C1, 0, ref c);
        var b2 = U256.MulAdd(h2, C1, 0, ref c);
        var b3 = U256.MulAdd(h3, C1, 0, ref c);
        var b4 = c;
        // a + (b << 64): b4 is at most 2^64 - 2, so the last carry fits in it.
        c = 0;
        var s1 = U256.AddCarry(a1, b0, ref c);
        var s2 = U256.AddCarry(a2, b1, ref c);
        var s3 = U256.AddCarry(a3, b2, ref c);
        var s4 = U256.AddCarry(a4, b3, ref c);
        var s5 = b4 + c;
        // + (h << 128), the 2^128 term of C.
        c = 0;
        s2 = U256.AddCarry(s2, h0, ref c);
        s3 = U256.AddCarry(s3, h1, ref c);
        s4 = U256.AddCarry(s4, h2, ref c);
        s5 = U256.AddCarry(s5, h3, ref c);
        r4 = s4;
        r5 = s5;
        r6 = c;
        return new U256(a0, s1, s2, s3);
    }
}
