namespace Pds.Core.Crypto.Secp256k1;

/// <summary>
/// Fixed-base multiplication k*G in constant time. k is recoded into 43 signed 6-bit digits,
/// k = sum of d_i 64^i with -31 &lt;= d_i &lt;= 32, and the table holds j * 64^i * G (affine)
/// for every window i and j = 1..32, so k*G is a sum of 43 table points, each possibly
/// negated, with no doublings at all. Signed digits halve the table per window compared with
/// plain 6-bit digits (negating a point only flips y), and 6 bits per window need 43
/// additions where 4 bits needed 64.
/// </summary>
internal static class Generator
{
    public const int WindowBits = 6;

    /// <summary>ceil(257 / 6): the recoding's final carry can reach bit 256.</summary>
    public const int Windows = 43;

    /// <summary>Multiples 1..32 of each window's base; digit 0 has no entry (see <see cref="Multiply"/>).</summary>
    public const int EntriesPerWindow = 1 << (WindowBits - 1);

    public static readonly AffinePoint G = new(
        new U256(0x59F2815B16F81798, 0x029BFCDB2DCE28D9, 0x55A06295CE870B07, 0x79BE667EF9DCBBAC),
        new U256(0x9C47D08FFB10D4B8, 0xFD17B448A6855419, 0x5DA4FBFC0E1108A8, 0x483ADA7726A3C465));

    // Built on first use: 43 * 32 points * 64 bytes = 86 KiB, some milliseconds of work once.
    private static readonly Lazy<AffinePoint[]> Table = new(Build);

    /// <summary>
    /// k*G for any 0 &lt;= k &lt; 2^256 as a projective point. Every digit reads all 32 entries of
    /// its window and keeps the wanted one with a mask, so neither memory addresses nor
    /// branches depend on k. A negative digit negates y by mask. The addend for digit 0 is a
    /// dummy whose sum is discarded by mask, again without a branch; the complete formulas
    /// cope with any accumulator, including the identity and a point equal to the addend.
    /// </summary>
    public static ProjectivePoint Multiply(in U256 k)
    {
        var table = Table.Value.AsSpan();
        var acc = ProjectivePoint.Identity;
        var carry = 0;
        for (var window = 0; window < Windows; window++)
        {
            var digit = Recode(k.Bits(window * WindowBits, WindowBits), ref carry);
            // All ones when the digit is negative (an arithmetic shift copies the sign bit).
            var negative = (ulong)((long)digit >> 63);
            var magnitude = (ulong)((digit ^ (long)negative) - (long)negative);
            var entry = Lookup(table.Slice(window * EntriesPerWindow, EntriesPerWindow), magnitude);
            entry.Y = U256.Select(entry.Y, ModP.Sub(default, entry.Y), negative);
            var sum = ProjectivePoint.AddAffine(acc, entry);
            acc = ProjectivePoint.Select(acc, sum, ~U256.ZeroMask(magnitude));
        }
        return acc;
    }

    /// <summary>
    /// One step of the signed recoding, without branches: raw = bits + carry is 0..64; above 32
    /// it becomes raw - 64 (-31..0) and carries 1 into the next window.
    /// </summary>
    internal static long Recode(int bits, ref int carry)
    {
        var raw = bits + carry;
        // raw + 31 reaches 64 exactly when raw >= 33, and stays below 128.
        carry = (raw + (1 << (WindowBits - 1)) - 1) >> WindowBits;
        return raw - (carry << WindowBits);
    }

    /// <summary>The entry for magnitude 1..32 of one window, or (0, 0) for 0, reading every entry.</summary>
    internal static AffinePoint Lookup(ReadOnlySpan<AffinePoint> window, ulong magnitude)
    {
        var result = default(AffinePoint);
        for (var j = 0; j < window.Length; j++)
        {
            // Entry j holds the multiple j + 1.
            var mask = U256.ZeroMask(magnitude ^ (ulong)(j + 1));
            ref readonly var entry = ref window[j];
            result.X.L0 |= entry.X.L0 & mask;
            result.X.L1 |= entry.X.L1 & mask;
            result.X.L2 |= entry.X.L2 & mask;
            result.X.L3 |= entry.X.L3 & mask;
            result.Y.L0 |= entry.Y.L0 & mask;
            result.Y.L1 |= entry.Y.L1 & mask;
            result.Y.L2 |= entry.Y.L2 & mask;
            result.Y.L3 |= entry.Y.L3 & mask;
        }
        return result;
    }

    /// <summary>Window i holds 1..32 times B_i = 64^i G; public data, so plain code is fine here.</summary>
    private static AffinePoint[] Build()
    {
        var table = new AffinePoint[Windows * EntriesPerWindow];
        var windowBase = ProjectivePoint.FromAffine(G);
        for (var window = 0; window < Windows; window++)
        {
            var multiple = windowBase;
            for (var j = 0; j < EntriesPerWindow; j++)
            {
                table[window * EntriesPerWindow + j] = multiple.ToAffine();
                if (j + 1 < EntriesPerWindow)
                {
                    multiple = ProjectivePoint.Add(multiple, windowBase);
                }
            }
            // multiple = 32 * B_i, so doubling it gives B_(i+1) = 64 * B_i.
            windowBase = ProjectivePoint.Add(multiple, multiple);
        }
        return table;
    }
}
