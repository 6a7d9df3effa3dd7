using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;
using Pds.Core.DataModel;
using Pds.Core.Ipld;

namespace Pds.Core.Cbor;

/// <summary>
/// A strict DAG-CBOR reader over untrusted bytes. It accepts only what
/// <see cref="DagCborWriter"/> would produce: shortest heads, definite lengths, no floats,
/// no tags but 42 over a 0x00-prefixed CIDv1, string keys in canonical order, valid UTF-8.
/// Every declared length is checked against the bytes left before anything is allocated,
/// and nesting is bounded.
/// </summary>
public ref struct DagCborReader
{
    public const int DefaultMaxDepth = 128;

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _maxDepth;
    private int _pos;

    public DagCborReader(ReadOnlySpan<byte> data, int maxDepth = DefaultMaxDepth)
    {
        _data = data;
        _maxDepth = maxDepth;
        _pos = 0;
    }

    public readonly int Position => _pos;
    public readonly int Remaining => _data.Length - _pos;
    public readonly bool IsAtEnd => _pos >= _data.Length;

    public readonly CborMajorType PeekMajorType()
    {
        if (_pos >= _data.Length)
        {
            throw Error("unexpected end of data");
        }
        return (CborMajorType)(_data[_pos] >> 5);
    }

    public readonly bool PeekIsNull() => _pos < _data.Length && _data[_pos] == 0xf6;

    public void ReadNull()
    {
        if (!PeekIsNull())
        {
            throw Error("expected null");
        }
        _pos++;
    }

    public bool ReadBoolean()
    {
        if (_pos < _data.Length && (_data[_pos] == 0xf4 || _data[_pos] == 0xf5))
        {
            return _data[_pos++] == 0xf5;
        }
        throw Error("expected boolean");
    }

    public long ReadInteger()
    {
        var start = _pos;
        var (major, arg) = ReadHead();
        if (major is not (CborMajorType.UnsignedInteger or CborMajorType.NegativeInteger))
        {
            throw Error("expected integer", start);
        }
        if (arg > long.MaxValue)
        {
            throw Error("integer outside the signed 64-bit range", start);
        }
        return major == CborMajorType.UnsignedInteger ? (long)arg : -1 - (long)arg;
    }

    public string ReadText() => Encoding.UTF8.GetString(ReadTextUtf8());

    public ReadOnlySpan<byte> ReadTextUtf8()
    {
        var start = _pos;
        var (major, arg) = ReadHead();
        if (major != CborMajorType.TextString)
        {
            throw Error("expected text string", start);
        }
        var bytes = Take(arg, start);
        if (!Utf8.IsValid(bytes))
        {
            throw Error("text string is not valid UTF-8", start);
        }
        return bytes;
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        var start = _pos;
        var (major, arg) = ReadHead();
        if (major != CborMajorType.ByteString)
        {
            throw Error("expected byte string", start);
        }
        return Take(arg, start);
    }

    public Cid ReadCid()
    {
        var start = _pos;
        var (major, arg) = ReadHead();
        if (major != CborMajorType.Tag)
        {
            throw Error("expected CID link (tag 42)", start);
        }
        return ReadCidAfterTag(arg, start);
    }

    public Cid? ReadCidOrNull()
    {
        if (PeekIsNull())
        {
            _pos++;
            return null;
        }
        return ReadCid();
    }

    public int ReadArrayHeader()
    {
        var start = _pos;
        var (major, arg) = ReadHead();
        if (major != CborMajorType.Array)
        {
            throw Error("expected array", start);
        }
        // Every element takes at least one byte: a count beyond what is left is a lie.
        if (arg > (ulong)Remaining)
        {
            throw Error("array length exceeds the remaining bytes", start);
        }
        return (int)arg;
    }

    public int ReadMapHeader()
    {
        var start = _pos;
        var (major, arg) = ReadHead();
        if (major != CborMajorType.Map)
        {
            throw Error("expected map", start);
        }
        if (arg > (ulong)Remaining / 2)
        {
            throw Error("map length exceeds the remaining bytes", start);
        }
        return (int)arg;
    }

    /// <summary>Reads one complete data-model value.</summary>
    public DataValue ReadValue() => ReadValue(0);

    /// <summary>Throws unless every byte has been consumed.</summary>
    public readonly void EnsureAtEnd()
    {
        if (!IsAtEnd)
        {
            throw Error("trailing bytes after the top-level value");
        }
    }

    private DataValue ReadValue(int depth)
    {
        var start = _pos;
        if (_pos >= _data.Length)
        {
            throw Error("unexpected end of data");
        }
        var initial = _data[_pos];
        var major = (CborMajorType)(initial >> 5);
        switch (major)
        {
            case CborMajorType.UnsignedInteger:
            case CborMajorType.NegativeInteger:
                return new DataInteger(ReadInteger());
            case CborMajorType.TextString:
                return new DataString(ReadText());
            case CborMajorType.ByteString:
                return new DataBytes(ReadBytes().ToArray());
            case CborMajorType.Tag:
                return new DataLink(ReadCid());
            case CborMajorType.Simple:
                return ReadSimple(initial, start);
            case CborMajorType.Array:
                {
                    CheckDepth(depth, start);
                    var count = ReadArrayHeader();
                    if (count == 0)
                    {
                        return DataArray.Empty;
                    }
                    var items = new DataValue[count];
                    for (var i = 0; i < count; i++)
                    {
                        items[i] = ReadValue(depth + 1);
                    }
                    return new DataArray(items);
                }
            default:
                {
                    CheckDepth(depth, start);
                    var count = ReadMapHeader();
                    if (count == 0)
                    {
                        return DataMap.Empty;
                    }
                    var entries = new DataMap.Entry[count];
                    ReadOnlySpan<byte> previous = default;
                    for (var i = 0; i < count; i++)
                    {
                        var keyStart = _pos;
                        if (PeekMajorType() != CborMajorType.TextString)
                        {
                            throw Error("map keys must be text strings", keyStart);
                        }
                        var key = ReadTextUtf8();
                        if (i > 0 && DataMap.CompareKeys(previous, key) >= 0)
                        {
                            throw Error("map keys are duplicated or not in canonical order", keyStart);
                        }
                        previous = key;
                        var keyBytes = key.ToArray();
                        entries[i] = new DataMap.Entry(Encoding.UTF8.GetString(keyBytes), keyBytes, ReadValue(depth + 1));
                    }
                    return DataMap.FromCanonical(entries);
                }
        }
    }

    private DataValue ReadSimple(byte initial, int start)
    {
        _pos++;
        return initial switch
        {
            0xf4 => DataValue.False,
            0xf5 => DataValue.True,
            0xf6 => DataValue.Null,
            0xf7 => throw Error("undefined is not allowed", start),
            0xf9 or 0xfa or 0xfb => throw Error("floats are not allowed in atproto data", start),
            0xff => throw Error("unexpected break (indefinite lengths are not allowed)", start),
            _ => throw Error("simple values other than true, false and null are not allowed", start),
        };
    }

    private Cid ReadCidAfterTag(ulong tag, int start)
    {
        if (tag != DagCborWriter.CidTag)
        {
            throw Error($"tag {tag} is not allowed (only 42, CID links)", start);
        }
        var bytes = ReadBytes();
        if (bytes.Length == 0 || bytes[0] != 0)
        {
            throw Error("CID link must start with the 0x00 multibase identity prefix", start);
        }
        if (!Cid.TryReadPrefix(bytes[1..], out var cid, out var read, out var error))
        {
            throw Error("invalid CID link: " + error, start);
        }
        if (read != bytes.Length - 1)
        {
            throw Error("trailing bytes inside CID link", start);
        }
        return cid;
    }

    private readonly void CheckDepth(int depth, int start)
    {
        if (depth >= _maxDepth)
        {
            throw Error($"nesting deeper than {_maxDepth}", start);
        }
    }

    private (CborMajorType Major, ulong Argument) ReadHead()
    {
        var start = _pos;
        if (_pos >= _data.Length)
        {
            throw Error("unexpected end of data");
        }
        var initial = _data[_pos++];
        var major = (CborMajorType)(initial >> 5);
        var info = initial & 0x1f;
        if (major == CborMajorType.Simple)
        {
            throw Error("unexpected simple value", start);
        }
        ulong arg;
        switch (info)
        {
            case < 24:
                return (major, (ulong)info);
            case 24:
                arg = Need(1, start)[0];
                if (arg < 24)
                {
                    throw Error("integer not in shortest form", start);
                }
                return (major, arg);
            case 25:
                arg = BinaryPrimitives.ReadUInt16BigEndian(Need(2, start));
                if (arg <= byte.MaxValue)
                {
                    throw Error("integer not in shortest form", start);
                }
                return (major, arg);
            case 26:
                arg = BinaryPrimitives.ReadUInt32BigEndian(Need(4, start));
                if (arg <= ushort.MaxValue)
                {
                    throw Error("integer not in shortest form", start);
                }
                return (major, arg);
            case 27:
                arg = BinaryPrimitives.ReadUInt64BigEndian(Need(8, start));
                if (arg <= uint.MaxValue)
                {
                    throw Error("integer not in shortest form", start);
                }
                return (major, arg);
            case 31:
                throw Error("indefinite lengths are not allowed", start);
            default:
                throw Error("reserved additional information value", start);
        }
    }

    private ReadOnlySpan<byte> Need(int count, int start)
    {
        if (Remaining < count)
        {
            throw Error("unexpected end of data", start);
        }
        var s = _data.Slice(_pos, count);
        _pos += count;
        return s;
    }

    private ReadOnlySpan<byte> Take(ulong length, int start)
    {
        if (length > (ulong)Remaining)
        {
            throw Error("length exceeds the remaining bytes", start);
        }
        return Need((int)length, start);
    }

    private readonly DagCborFormatException Error(string message) => new(message, _pos);

    private static DagCborFormatException Error(string message, int offset) => new(message, offset);
}
