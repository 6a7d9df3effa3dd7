using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;

namespace Pds.Core.Crypto.Secp256k1;

/// <summary>
/// A 256-bit unsigned integer as four 64-bit limbs, least significant first, and the
/// branch-free building blocks both moduli share. Every helper here runs the same instructions
/// whatever the values are: carries come from a comparison materialised as 0/1 (setcc), never
/// from an if or a ternary, and choices between two values are made with all-ones/zero masks.
/// </summary>
internal struct U256
{
    public ulong L0;
    public ulong L1;
    public ulong L2;
    public ulong L3;

    public U256(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        L0 = l0;
        L1 = l1;
        L2 = l2;
        L3 = l3;
    }

    public static U256 FromBigEndian(ReadOnlySpan<byte> bytes) => new(
        BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes));

    public readonly void WriteBigEndian(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, L3);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], L2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], L1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], L0);
    }

    /// <summary>Overwrites the limbs through a call the JIT cannot drop as a dead store.</summary>
    public static void Wipe(ref U256 value) =>
        CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(new Span<U256>(ref value)));

    /// <summary>1 for true, 0 for false, without a branch: the comparison compiles to setcc.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Bit(bool condition) => Unsafe.BitCast<bool, byte>(condition);

    /// <summary>All ones when bit is 1, zero when it is 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mask(ulong bit) => 0UL - bit;

    /// <summary>All ones when value is 0: (value | -value) has its top bit set exactly when value != 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ZeroMask(ulong value) => ((value | (0UL - value)) >> 63) - 1;

    /// <summary>a + b + carry; carry is 0 or 1 on the way in and out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AddCarry(ulong a, ulong b, ref ulong carry)
    {
        var sum = a + b;
        var first = Bit(sum < a);
        sum += carry;
        // At most one of the two additions can wrap, so OR is the carry.
        carry = first | Bit(sum < carry);
        return sum;
    }

    /// <summary>a - b - borrow; borrow is 0 or 1 on the way in and out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SubBorrow(ulong a, ulong b, ref ulong borrow)
    {
        var difference = a - b;
        var first = Bit(a < b);
        var second = Bit(difference < borrow);
        difference -= borrow;
        // At most one of the two subtractions can wrap, so OR is the borrow.
        borrow = first | second;
        return difference;
    }

    /// <summary>The full 128-bit product a * b as (high, low).</summary>
    /// <remarks>
    /// Math.BigMul returns the low half through an out parameter, which the JIT keeps in a stack
    /// slot (a store and a reload per product); mulx for the high half plus a plain multiply
    /// for the low half stays in registers. Both are fixed-time instructions.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Multiply(ulong a, ulong b, out ulong low)
    {
        if (Bmi2.X64.IsSupported)
        {
            low = a * b;
            return Bmi2.X64.MultiplyNoFlags(a, b);
        }
        return Math.BigMul(a, b, out low);
    }

    /// <summary>a * b + c + carry as a 128-bit value; its high half becomes the new carry.</summary>
    /// <remarks>(2^64-1)^2 + 2(2^64-1) = 2^128 - 1, so the sum never overflows 128 bits.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MulAdd(ulong a, ulong b, ulong c, ref ulong carry)
    {
        var high = Multiply(a, b, out var low);
        low += c;
        high += Bit(low < c);
        low += carry;
        high += Bit(low < carry);
        carry = high;
        return low;
    }

    public static U256 Add(in U256 a, in U256 b, out ulong carry)
    {
        carry = 0;
        return new U256(
            AddCarry(a.L0, b.L0, ref carry),
            AddCarry(a.L1, b.L1, ref carry),
            AddCarry(a.L2, b.L2, ref carry),
            AddCarry(a.L3, b.L3, ref carry));
    }

    public static U256 Sub(in U256 a, in U256 b, out ulong borrow)
    {
        borrow = 0;
        return new U256(
            SubBorrow(a.L0, b.L0, ref borrow),
            SubBorrow(a.L1, b.L1, ref borrow),
            SubBorrow(a.L2, b.L2, ref borrow),
            SubBorrow(a.L3, b.L3, ref borrow));
    }

    /// <summary>b where mask is all ones, a where it is zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static U256 Select(in U256 a, in U256 b, ulong mask) => new(
        a.L0 ^ ((a.L0 ^ b.L0) & mask),
        a.L1 ^ ((a.L1 ^ b.L1) & mask),
        a.L2 ^ ((a.L2 ^ b.L2) & mask),
        a.L3 ^ ((a.L3 ^ b.L3) & mask));

    /// <summary>value AND mask, limb by limb (keeps value or clears it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static U256 And(in U256 value, ulong mask) =>
        new(value.L0 & mask, value.L1 & mask, value.L2 & mask, value.L3 & mask);

    /// <summary>
    /// Bits [start, start + count) for count &lt;= 32, as an int; bits past 255 read as zero. The
    /// limbs are picked by start, which is always a public loop position, never by the value,
    /// so this is safe on secrets.
    /// </summary>
    public readonly int Bits(int start, int count)
    {
        var index = start >> 6;
        var shift = start & 63;
        var bits = Limb(index) >> shift;
        if (shift + count > 64)
        {
            bits |= Limb(index + 1) << (64 - shift);
        }
        return (int)(bits & ((1UL << count) - 1));
    }

    private readonly ulong Limb(int index) => index switch
    {
        0 => L0,
        1 => L1,
        2 => L2,
        3 => L3,
        _ => 0,
    };

    /// <summary>All ones when the value is zero.</summary>
    public readonly ulong IsZeroMask() => ZeroMask(L0 | L1 | L2 | L3);

    /// <summary>
    /// Reduces value + carry * 2^256 modulo m, given that it is below 2m and that complement is
    /// 2^256 - m. value - m is written as value + complement (mod 2^256); the subtraction is
    /// wanted exactly when value + carry*2^256 >= m, that is when carry is set or adding the
    /// complement carries out of 256 bits.
    /// </summary>
    public static U256 SubtractIfAtLeast(in U256 value, ulong carry, in U256 complement)
    {
        var reduced = Add(value, complement, out var overflow);
        return Select(value, reduced, Mask(carry | overflow));
    }
}
