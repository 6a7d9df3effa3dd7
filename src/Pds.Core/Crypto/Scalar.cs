using System.Numerics;

namespace Pds.Core.Crypto;

/// <summary>Conversions between unsigned big-endian 32-byte fields and BigInteger.</summary>
internal static class Scalar
{
    public static BigInteger FromBytes(ReadOnlySpan<byte> bigEndian) =>
        new(bigEndian, isUnsigned: true, isBigEndian: true);

    public static byte[] ToBytes(BigInteger value)
    {
        var bytes = new byte[Curve.FieldLength];
        Write(value, bytes);
        return bytes;
    }

    /// <summary>Writes value right-aligned (left zero-padded) into exactly destination.Length bytes.</summary>
    public static void Write(BigInteger value, Span<byte> destination)
    {
        var count = value.GetByteCount(isUnsigned: true);
        if (value.Sign < 0 || count > destination.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "value does not fit the field");
        }
        destination[..^count].Clear();
        value.TryWriteBytes(destination[^count..], out _, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>True when 1 &lt;= value &lt; n, comparing equal-length big-endian spans.</summary>
    public static bool IsValid(ReadOnlySpan<byte> value, ReadOnlySpan<byte> order) =>
        value.IndexOfAnyExcept((byte)0) >= 0 && value.SequenceCompareTo(order) < 0;
}
