using Pds.Core.Ipld;

namespace Pds.Core.Car;

/// <summary>
/// The length-prefixed framing shared by the header and blocks, and the checks on a
/// section's CID. Block index -1 means the header (see <see cref="CarFormatException"/>).
/// </summary>
internal static class CarSection
{
    public const long Header = -1;

    /// <summary>Upper bound for configured limits, so a prefix plus a section still fits in one array.</summary>
    public static readonly int MaxLimit = Array.MaxLength - Varint.MaxLength;

    /// <summary>
    /// Reads a length prefix from <paramref name="source"/> and checks it against
    /// <paramref name="max"/> before anything is allocated. Returns false only when the bytes
    /// so far could still become a valid prefix and <paramref name="atEnd"/> says more may come.
    /// </summary>
    public static bool TryReadLength(
        ReadOnlySpan<byte> source, bool atEnd, int max, long offset, long index, out int length, out int prefixLength)
    {
        length = 0;
        if (!Varint.TryRead(source, out var value, out prefixLength, out var error))
        {
            if (!atEnd && source.Length < Varint.MaxLength)
            {
                return false;
            }
            throw new CarFormatException("length prefix: " + error, offset, index);
        }
        if (value == 0)
        {
            throw new CarFormatException("length 0 is not allowed", offset, index);
        }
        if (value > (ulong)max)
        {
            throw new CarFormatException($"length {value} exceeds the limit of {max}", offset, index);
        }
        length = (int)value;
        return true;
    }

    /// <summary><see cref="TryReadLength"/> over input that has all the bytes it will ever have.</summary>
    public static int ReadLength(ReadOnlySpan<byte> source, int max, long offset, long index, out int prefixLength)
    {
        TryReadLength(source, atEnd: true, max, offset, index, out var length, out prefixLength);
        return length;
    }

    /// <summary>Throws unless the <paramref name="available"/> bytes hold the prefix and the whole section.</summary>
    public static void EnsureComplete(long available, int prefixLength, int length, long offset, long index)
    {
        if (available - prefixLength < length)
        {
            throw new CarFormatException(
                $"declares {length} bytes but the input ends after {available - prefixLength}", offset, index);
        }
    }

    public static void EnsureBlockAllowed(long index, long maxBlocks, long offset)
    {
        if (index >= maxBlocks)
        {
            throw new CarFormatException($"more than {maxBlocks} blocks", offset, index);
        }
    }

    /// <summary>Reads the CID at the start of a section and, if asked, checks the rest hashes to it.</summary>
    public static Cid ReadCid(ReadOnlySpan<byte> section, bool verify, long offset, long index, out int cidLength)
    {
        if (!Cid.TryReadPrefix(section, out var cid, out cidLength, out var error))
        {
            throw new CarFormatException($"invalid CID in a {section.Length}-byte section: {error}", offset, index);
        }
        if (verify)
        {
            if (!cid.IsSha256)
            {
                throw new CarFormatException(
                    $"unsupported multihash 0x{cid.HashCode:x} with a {cid.Digest.Length}-byte digest (only sha2-256)", offset, index);
            }
            if (!cid.Matches(section[cidLength..]))
            {
                throw new CarFormatException($"block bytes do not match {cid}", offset, index);
            }
        }
        return cid;
    }

    /// <summary>Encoded size of a section: prefix, CID (none for the header), payload.</summary>
    public static long EncodedLength(Cid? cid, int payloadLength)
    {
        var body = (ulong)(cid?.ByteLength ?? 0) + (ulong)payloadLength;
        return Varint.Length(body) + (long)body;
    }

    /// <summary>Writes the prefix and the CID; the caller copies or streams the payload after it.</summary>
    public static int WritePrefix(Span<byte> destination, Cid? cid, int payloadLength)
    {
        var cidBytes = cid is null ? default : cid.Bytes;
        var n = Varint.Write((ulong)cidBytes.Length + (ulong)payloadLength, destination);
        cidBytes.CopyTo(destination[n..]);
        return n + cidBytes.Length;
    }

    public static int Write(Span<byte> destination, Cid? cid, ReadOnlySpan<byte> payload)
    {
        var n = WritePrefix(destination, cid, payload.Length);
        payload.CopyTo(destination[n..]);
        return n + payload.Length;
    }
}
