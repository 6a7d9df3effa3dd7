using System.Buffers.Binary;
using System.Text;
using Pds.Core.Ipld;

namespace Pds.Core.Cbor;

/// <summary>
/// Writes canonical DAG-CBOR into a growable buffer: shortest heads, definite lengths,
/// CID links as tag 42. Callers write map keys in canonical order themselves (the
/// protocol's fixed shapes know their order statically); <see cref="DagCbor"/> sorts
/// generic maps. Reuse one writer with <see cref="Reset"/> on hot paths.
/// </summary>
public sealed class DagCborWriter
{
    public const int CidTag = 42;

    private byte[] _buffer;
    private int _length;

    public DagCborWriter(int initialCapacity = 256)
    {
        _buffer = new byte[Math.Max(16, initialCapacity)];
    }

    public int Length => _length;
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);
    public byte[] ToArray() => WrittenSpan.ToArray();
    public void Reset() => _length = 0;

    public void WriteNull() => WriteByte(0xf6);
    public void WriteBoolean(bool value) => WriteByte(value ? (byte)0xf5 : (byte)0xf4);

    public void WriteInteger(long value)
    {
        if (value >= 0)
        {
            WriteHead(CborMajorType.UnsignedInteger, (ulong)value);
        }
        else
        {
            WriteHead(CborMajorType.NegativeInteger, (ulong)(-1 - value));
        }
    }

    public void WriteText(string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max <= 256)
        {
            Span<byte> tmp = stackalloc byte[max];
            var n = Encoding.UTF8.GetBytes(value, tmp);
            WriteText(tmp[..n]);
            return;
        }
        var count = Encoding.UTF8.GetByteCount(value);
        WriteHead(CborMajorType.TextString, (ulong)count);
        Ensure(count);
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
    }

    /// <summary>Writes a text string from bytes the caller guarantees are valid UTF-8.</summary>
    public void WriteText(ReadOnlySpan<byte> utf8)
    {
        WriteHead(CborMajorType.TextString, (ulong)utf8.Length);
        WriteRaw(utf8);
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteHead(CborMajorType.ByteString, (ulong)value.Length);
        WriteRaw(value);
    }

    public void WriteCid(Cid cid)
    {
        WriteByte(0xd8);
        WriteByte(CidTag);
        var bytes = cid.Bytes;
        WriteHead(CborMajorType.ByteString, (ulong)bytes.Length + 1);
        WriteByte(0);
        WriteRaw(bytes);
    }

    public void WriteCidOrNull(Cid? cid)
    {
        if (cid is null)
        {
            WriteNull();
        }
        else
        {
            WriteCid(cid);
        }
    }

    public void WriteArrayHeader(int count) => WriteHead(CborMajorType.Array, (ulong)count);
    public void WriteMapHeader(int count) => WriteHead(CborMajorType.Map, (ulong)count);

    public void WriteHead(CborMajorType major, ulong argument)
    {
        var m = (byte)((byte)major << 5);
        if (argument < 24)
        {
            WriteByte((byte)(m | (byte)argument));
        }
        else if (argument <= byte.MaxValue)
        {
            Ensure(2);
            _buffer[_length++] = (byte)(m | 24);
            _buffer[_length++] = (byte)argument;
        }
        else if (argument <= ushort.MaxValue)
        {
            Ensure(3);
            _buffer[_length++] = (byte)(m | 25);
            BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(_length), (ushort)argument);
            _length += 2;
        }
        else if (argument <= uint.MaxValue)
        {
            Ensure(5);
            _buffer[_length++] = (byte)(m | 26);
            BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_length), (uint)argument);
            _length += 4;
        }
        else
        {
            Ensure(9);
            _buffer[_length++] = (byte)(m | 27);
            BinaryPrimitives.WriteUInt64BigEndian(_buffer.AsSpan(_length), argument);
            _length += 8;
        }
    }

    private void WriteByte(byte b)
    {
        Ensure(1);
        _buffer[_length++] = b;
    }

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Ensure(int extra)
    {
        if (_length + extra <= _buffer.Length)
        {
            return;
        }
        var size = Math.Max(_buffer.Length * 2, _length + extra);
        Array.Resize(ref _buffer, size);
    }
}
