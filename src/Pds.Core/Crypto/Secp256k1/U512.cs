using System.Runtime.CompilerServices;

namespace Pds.Core.Crypto.Secp256k1;

/// <summary>
/// A full 512-bit product of two <see cref="U256"/> values, least significant limb first.
/// Both moduli reduce it with their own special form, so the products live here once.
/// </summary>
internal struct U512
{
    public ulong L0;
    public ulong L1;
    public ulong L2;
    public ulong L3;
    public ulong L4;
    public ulong L5;
    public ulong L6;
    public ulong L7;

    /// <summary>Schoolbook a*b, column by column (product scanning), 16 multiplications.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static U512 Multiply(in U256 a, in U256 b)
    {
        var acc = default(Accumulator);
        U512 t;
        acc.MulAdd(a.L0, b.L0);
        t.L0 = acc.Shift();
        acc.MulAdd(a.L0, b.L1);
        acc.MulAdd(a.L1, b.L0);
        t.L1 = acc.Shift();
        acc.MulAdd(a.L0, b.L2);
        acc.MulAdd(a.L1, b.L1);
        acc.MulAdd(a.L2, b.L0);
        t.L2 = acc.Shift();
        acc.MulAdd(a.L0, b.L3);
        acc.MulAdd(a.L1, b.L2);
        acc.MulAdd(a.L2, b.L1);
        acc.MulAdd(a.L3, b.L0);
        t.L3 = acc.Shift();
        acc.MulAdd(a.L1, b.L3);
        acc.MulAdd(a.L2, b.L2);
        acc.MulAdd(a.L3, b.L1);
        t.L4 = acc.Shift();
        acc.MulAdd(a.L2, b.L3);
        acc.MulAdd(a.L3, b.L2);
        t.L5 = acc.Shift();
        acc.MulAdd(a.L3, b.L3);
        t.L6 = acc.Shift();
        t.L7 = acc.Shift();
        return t;
    }

    /// <summary>
    /// a^2 in 10 multiplications: the six cross products a_i a_j (i &lt; j) are summed once, the
    /// sum is doubled with shifts, and the four squares a_i^2 are added on the diagonal. Adding
    /// each cross product twice instead made one long carry chain and ran slower than Multiply.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static U512 Square(in U256 a)
    {
        // Cross sum: below 2^448, so it fits limbs 1..6.
        var acc = default(Accumulator);
        acc.MulAdd(a.L0, a.L1);
        var c1 = acc.Shift();
        acc.MulAdd(a.L0, a.L2);
        var c2 = acc.Shift();
        acc.MulAdd(a.L0, a.L3);
        acc.MulAdd(a.L1, a.L2);
        var c3 = acc.Shift();
        acc.MulAdd(a.L1, a.L3);
        var c4 = acc.Shift();
        acc.MulAdd(a.L2, a.L3);
        var c5 = acc.Shift();
        var c6 = acc.Shift();

        var h0 = U256.Multiply(a.L0, a.L0, out var l0);
        var h1 = U256.Multiply(a.L1, a.L1, out var l1);
        var h2 = U256.Multiply(a.L2, a.L2, out var l2);
        var h3 = U256.Multiply(a.L3, a.L3, out var l3);

        // 2 * cross + diagonal; the doubled limbs are (c_i << 1) | (c_(i-1) >> 63).
        var carry = 0UL;
        U512 t;
        t.L0 = l0;
        t.L1 = U256.AddCarry(c1 << 1, h0, ref carry);
        t.L2 = U256.AddCarry((c2 << 1) | (c1 >> 63), l1, ref carry);
        t.L3 = U256.AddCarry((c3 << 1) | (c2 >> 63), h1, ref carry);
        t.L4 = U256.AddCarry((c4 << 1) | (c3 >> 63), l2, ref carry);
        t.L5 = U256.AddCarry((c5 << 1) | (c4 >> 63), h2, ref carry);
        t.L6 = U256.AddCarry((c6 << 1) | (c5 >> 63), l3, ref carry);
        t.L7 = U256.AddCarry(c6 >> 63, h3, ref carry);
        return t;
    }
}

/// <summary>
/// A 192-bit running sum for product scanning: one column of 64-bit products is added in,
/// the low limb is taken out, and the rest moves down. 192 bits hold any column here (at most
/// eight 128-bit products, well under 2^131) with room to spare.
/// </summary>
internal struct Accumulator
{
    private ulong _low;
    private ulong _middle;
    private ulong _high;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void MulAdd(ulong a, ulong b)
    {
        var high = U256.Multiply(a, b, out var low);
        Add128(high, low);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(ulong value) => Add128(0, value);

    /// <summary>Returns the low limb and shifts the sum down by 64 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Shift()
    {
        var limb = _low;
        _low = _middle;
        _middle = _high;
        _high = 0;
        return limb;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Add128(ulong high, ulong low)
    {
        _low += low;
        // A 64x64 product's high half is at most 2^64 - 2, so adding the carry cannot wrap it.
        high += U256.Bit(_low < low);
        _middle += high;
        _high += U256.Bit(_middle < high);
    }
}
