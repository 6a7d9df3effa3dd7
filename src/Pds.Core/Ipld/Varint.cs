namespace Pds.Core.Ipld;

/// <summary>
/// Unsigned LEB128 varints as multiformats uses them: at most 9 bytes (63 bits) and
/// minimal encoding only, so one value has exactly one byte form.
/// </summary>
public static class Varint
{
    public const int MaxLength = 9;

    public static int Length(ulong value)
    {
        var n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }
        return n;
    }

    public static int Write(ulong value, Span<byte> destination)
    {
        if (value > long.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "varints carry at most 63 bits");
        }
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Reads one varint; returns false (with a reason) on truncation, overlong or non-minimal input.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out ulong value, out int bytesRead, out string? error)
    {
        value = 0;
        bytesRead = 0;
        for (var i = 0; i < MaxLength; i++)
        {
            if (i >= source.Length)
            {
                error = "truncated varint";
                return false;
            }
            var b = source[i];
            value |= (ulong)(b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (b == 0 && i > 0)
                {
                    error = "non-minimal varint";
                    return false;
                }
                bytesRead = i + 1;
                error = null;
                return true;
            }
        }
        error = "varint longer than 9 bytes";
        return false;
    }
}
