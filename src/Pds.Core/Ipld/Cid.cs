using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Pds.Core.Ipld;

/// <summary>
/// A CIDv1: version, content codec, multihash. atproto creates only dag-cbor and raw
/// CIDs with sha2-256, but reads any CIDv1 whose digest is at most 64 bytes. Immutable;
/// equality is over the binary form.
/// </summary>
public sealed class Cid : IEquatable<Cid>, IComparable<Cid>
{
    public const int MaxDigestLength = 64;

    private readonly byte[] _bytes;
    private readonly int _digestOffset;
    private string? _string;

    private Cid(byte[] bytes, ulong codec, ulong hashCode, int digestOffset)
    {
        _bytes = bytes;
        Codec = codec;
        HashCode = hashCode;
        _digestOffset = digestOffset;
    }

    public ulong Codec { get; }
    public ulong HashCode { get; }
    public int Version => 1;
    public ReadOnlySpan<byte> Digest => _bytes.AsSpan(_digestOffset);
    public ReadOnlySpan<byte> Bytes => _bytes;
    public int ByteLength => _bytes.Length;

    /// <summary>True for the form atproto writes: dag-cbor or raw with a 32-byte sha2-256 digest.</summary>
    public bool IsSha256 => HashCode == Multicodec.Sha2_256 && Digest.Length == Multicodec.Sha2_256Length;

    public static Cid Compute(ulong codec, ReadOnlySpan<byte> content)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(content, digest);
        return FromSha256(codec, digest);
    }

    public static Cid ForDagCbor(ReadOnlySpan<byte> block) => Compute(Multicodec.DagCbor, block);

    public static Cid ForRaw(ReadOnlySpan<byte> content) => Compute(Multicodec.Raw, content);

    public static Cid FromSha256(ulong codec, ReadOnlySpan<byte> digest)
    {
        if (digest.Length != 32)
        {
            throw new ArgumentException("sha2-256 digests are 32 bytes", nameof(digest));
        }
        var codecLen = Varint.Length(codec);
        var bytes = new byte[1 + codecLen + 2 + 32];
        bytes[0] = 1;
        Varint.Write(codec, bytes.AsSpan(1));
        bytes[1 + codecLen] = (byte)Multicodec.Sha2_256;
        bytes[2 + codecLen] = 32;
        digest.CopyTo(bytes.AsSpan(3 + codecLen));
        return new Cid(bytes, codec, Multicodec.Sha2_256, 3 + codecLen);
    }

    /// <summary>Checks that <paramref name="content"/> hashes to this CID's digest.</summary>
    public bool Matches(ReadOnlySpan<byte> content)
    {
        if (!IsSha256)
        {
            return false;
        }
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(content, digest);
        return digest.SequenceEqual(Digest);
    }

    /// <summary>Reads a CID from the start of <paramref name="source"/> (e.g. inside a CAR section).</summary>
    public static bool TryReadPrefix(ReadOnlySpan<byte> source, [NotNullWhen(true)] out Cid? cid, out int bytesRead, out string? error)
    {
        cid = null;
        bytesRead = 0;
        if (source.Length >= 2 && source[0] == 0x12 && source[1] == 0x20)
        {
            error = "CIDv0 is not allowed";
            return false;
        }
        if (!Varint.TryRead(source, out var version, out var n, out error))
        {
            error = "CID version: " + error;
            return false;
        }
        if (version != 1)
        {
            error = $"unsupported CID version {version}";
            return false;
        }
        var pos = n;
        if (!Varint.TryRead(source[pos..], out var codec, out n, out error))
        {
            error = "CID codec: " + error;
            return false;
        }
        pos += n;
        if (!Varint.TryRead(source[pos..], out var hashCode, out n, out error))
        {
            error = "CID multihash code: " + error;
            return false;
        }
        pos += n;
        if (!Varint.TryRead(source[pos..], out var digestLength, out n, out error))
        {
            error = "CID digest length: " + error;
            return false;
        }
        pos += n;
        if (digestLength > MaxDigestLength)
        {
            error = $"CID digest length {digestLength} exceeds {MaxDigestLength}";
            return false;
        }
        if (hashCode == Multicodec.Sha2_256 && digestLength != 32)
        {
            error = "sha2-256 digest must be 32 bytes";
            return false;
        }
        if (source.Length - pos < (int)digestLength)
        {
            error = "truncated CID digest";
            return false;
        }
        var digestOffset = pos;
        pos += (int)digestLength;
        cid = new Cid(source[..pos].ToArray(), codec, hashCode, digestOffset);
        bytesRead = pos;
        error = null;
        return true;
    }

    /// <summary>Parses binary CID bytes that must be consumed exactly.</summary>
    public static Cid FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (!TryReadPrefix(bytes, out var cid, out var read, out var error))
        {
            throw new CidFormatException(error!);
        }
        if (read != bytes.Length)
        {
            throw new CidFormatException("trailing bytes after CID");
        }
        return cid;
    }

    /// <summary>Parses the string form: multibase base32 lower ('b' prefix), the only form atproto writes.</summary>
    public static Cid Parse(string text)
    {
        if (!TryParse(text, out var cid, out var error))
        {
            throw new CidFormatException(error);
        }
        return cid;
    }

    public static bool TryParse(string? text, [NotNullWhen(true)] out Cid? cid) => TryParse(text, out cid, out _);

    public static bool TryParse(string? text, [NotNullWhen(true)] out Cid? cid, out string error)
    {
        cid = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "empty CID string";
            return false;
        }
        if (text.Length > 2 + (MaxDigestLength + 32) * 8 / 5)
        {
            error = "CID string too long";
            return false;
        }
        if (text[0] != 'b')
        {
            error = "CID strings must use multibase base32 ('b' prefix)";
            return false;
        }
        if (!Base32.TryDecode(text.AsSpan(1), out var bytes))
        {
            error = "invalid base32 in CID string";
            return false;
        }
        if (!TryReadPrefix(bytes, out cid, out var read, out var readError) || read != bytes.Length)
        {
            cid = null;
            error = readError ?? "trailing bytes after CID";
            return false;
        }
        cid._string = text;
        error = "";
        return true;
    }

    public override string ToString() => _string ??= "b" + Base32.Encode(_bytes);

    public bool Equals(Cid? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => obj is Cid other && Equals(other);

    public override int GetHashCode()
    {
        var d = Digest;
        return d.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(d) : (int)Codec;
    }

    public int CompareTo(Cid? other) => other is null ? 1 : _bytes.AsSpan().SequenceCompareTo(other._bytes);

    public static bool operator ==(Cid? a, Cid? b) => a is null ? b is null : a.Equals(b);

    public static bool operator !=(Cid? a, Cid? b) => !(a == b);
}
