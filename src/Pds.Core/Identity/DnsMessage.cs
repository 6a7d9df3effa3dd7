using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Pds.Core.Identity;

/// <summary>
/// A small, strict DNS wire codec (RFC 1035) for TXT lookups: builds a query with a random id
/// and recursion desired, and parses the response as untrusted bytes. Every length is checked
/// against the bytes left; compression pointers must point strictly backwards, into the
/// message after the header, at most <see cref="MaxPointerJumps"/> times per name, so no name
/// can loop; the response must echo the query's id and question. Only the header, question
/// and answer sections are read.
/// </summary>
public static class DnsMessage
{
    public const int HeaderLength = 12;
    public const int MaxMessageLength = 65535;
    public const int MaxNameLength = 255;
    public const int MaxLabelLength = 63;
    public const int MaxPointerJumps = 16;
    public const int MaxCnameChain = 8;
    public const ushort TypeCname = 5;
    public const ushort TypeTxt = 16;
    public const ushort ClassIn = 1;

    private const ushort FlagResponse = 0x8000;
    private const ushort FlagTruncated = 0x0200;
    private const ushort FlagRecursionDesired = 0x0100;

    /// <summary>A TXT query for <paramref name="name"/> with a cryptographically random id.</summary>
    public static DnsQuery CreateTxtQuery(string name) =>
        CreateQuery(name, TypeTxt, (ushort)RandomNumberGenerator.GetInt32(0, 0x10000));

    /// <summary>
    /// A standard query (opcode 0, RD set) for one name of host-name characters plus '_'
    /// (e.g. <c>_atproto.alice.example</c>); a trailing dot is allowed.
    /// </summary>
    public static DnsQuery CreateQuery(string name, ushort type, ushort id)
    {
        ArgumentNullException.ThrowIfNull(name);
        var normalized = (name.EndsWith('.') ? name[..^1] : name).ToLowerInvariant();
        var labels = normalized.Split('.');
        var bytes = new byte[HeaderLength + normalized.Length + 2 + 4];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, id);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), FlagRecursionDesired);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4), 1);
        var pos = HeaderLength;
        foreach (var label in labels)
        {
            if (label.Length is 0 or > MaxLabelLength || !label.All(IsQueryNameChar))
            {
                throw new ArgumentException($"'{name}' is not a DNS name of letters, digits, '-' and '_'", nameof(name));
            }
            bytes[pos++] = (byte)label.Length;
            pos += Encoding.ASCII.GetBytes(label, bytes.AsSpan(pos));
        }
        bytes[pos++] = 0;
        if (pos - HeaderLength > MaxNameLength)
        {
            throw new ArgumentException($"'{name}' is longer than {MaxNameLength} bytes on the wire", nameof(name));
        }
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(pos), type);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(pos + 2), ClassIn);
        return new DnsQuery(id, normalized, type, bytes);
    }

    /// <summary>Parses a response to <paramref name="query"/>; anything malformed or unmatched throws <see cref="DnsFormatException"/>.</summary>
    public static DnsResponse ParseResponse(ReadOnlySpan<byte> message, DnsQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (message.Length > MaxMessageLength)
        {
            throw new DnsFormatException($"message longer than {MaxMessageLength} bytes");
        }
        if (message.Length < HeaderLength)
        {
            throw new DnsFormatException("message shorter than a header");
        }
        var id = BinaryPrimitives.ReadUInt16BigEndian(message);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        var questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        var answerCount = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        if (id != query.Id)
        {
            throw new DnsFormatException("response id does not match the query");
        }
        if ((flags & FlagResponse) == 0 || ((flags >> 11) & 0xf) != 0)
        {
            throw new DnsFormatException("not a response to a standard query");
        }
        if (questions != 1)
        {
            throw new DnsFormatException($"expected the one question echoed, got {questions}");
        }
        var pos = HeaderLength;
        var qname = ReadName(message, ref pos);
        var qtype = ReadUInt16(message, ref pos);
        var qclass = ReadUInt16(message, ref pos);
        if (qname != query.Name || qtype != query.Type || qclass != ClassIn)
        {
            throw new DnsFormatException("response question does not match the query");
        }
        var answers = new List<DnsRecord>(Math.Min((int)answerCount, 64));
        var dataOffsets = new List<int>(answers.Capacity);
        for (var i = 0; i < answerCount; i++)
        {
            answers.Add(ReadRecord(message, ref pos, out var dataOffset));
            dataOffsets.Add(dataOffset);
        }
        var code = (DnsResponseCode)(flags & 0xf);
        var txt = code == DnsResponseCode.NoError ? AnswerTxt(message, query, answers, dataOffsets) : [];
        return new DnsResponse(id, code, (flags & FlagTruncated) != 0, answers, txt);
    }

    private static DnsRecord ReadRecord(ReadOnlySpan<byte> message, ref int pos, out int dataOffset)
    {
        var name = ReadName(message, ref pos);
        var type = ReadUInt16(message, ref pos);
        var cls = ReadUInt16(message, ref pos);
        var ttl = ReadUInt32(message, ref pos);
        var length = ReadUInt16(message, ref pos);
        if (length > message.Length - pos)
        {
            throw new DnsFormatException("record data runs past the end of the message");
        }
        // The data's offset matters too: a CNAME target may point back into the message.
        dataOffset = pos;
        pos += length;
        return new DnsRecord(name, type, cls, ttl, message.Slice(dataOffset, length).ToArray());
    }

    private static List<DnsTxtRecord> AnswerTxt(
        ReadOnlySpan<byte> message, DnsQuery query, List<DnsRecord> answers, List<int> dataOffsets)
    {
        // The question name plus the CNAME targets it leads to within this answer section.
        var owners = new HashSet<string>(StringComparer.Ordinal) { query.Name };
        for (var round = 0; round < MaxCnameChain; round++)
        {
            var added = false;
            for (var i = 0; i < answers.Count; i++)
            {
                var r = answers[i];
                if (r.Type == TypeCname && r.Class == ClassIn && owners.Contains(r.Name))
                {
                    var at = dataOffsets[i];
                    var target = ReadName(message, ref at);
                    if (at != dataOffsets[i] + r.Data.Length)
                    {
                        throw new DnsFormatException("CNAME data is not exactly one name");
                    }
                    added |= owners.Add(target);
                }
            }
            if (!added)
            {
                break;
            }
        }
        var txt = new List<DnsTxtRecord>();
        foreach (var r in answers)
        {
            if (r.Type == TypeTxt && r.Class == ClassIn && owners.Contains(r.Name))
            {
                txt.Add(new DnsTxtRecord(r.Name, r.Ttl, ReadCharacterStrings(r.Data.Span)));
            }
        }
        return txt;
    }

    /// <summary>TXT data: one or more length-prefixed strings that exactly fill it.</summary>
    private static byte[][] ReadCharacterStrings(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            throw new DnsFormatException("TXT data holds no character-string");
        }
        var strings = new List<byte[]>();
        var pos = 0;
        while (pos < data.Length)
        {
            var length = data[pos++];
            if (length > data.Length - pos)
            {
                throw new DnsFormatException("TXT character-string runs past its record");
            }
            strings.Add(data.Slice(pos, length).ToArray());
            pos += length;
        }
        return strings.ToArray();
    }

    /// <summary>
    /// Reads a possibly compressed name at <paramref name="pos"/> and moves past it. Labels are
    /// lower-cased; bytes other than letters, digits, '-' and '_' are written as \DDD so no
    /// crafted label can masquerade as a dot-separated name.
    /// </summary>
    internal static string ReadName(ReadOnlySpan<byte> message, ref int pos)
    {
        var text = new StringBuilder();
        var p = pos;
        var jumps = 0;
        var wireLength = 1;
        int? resume = null;
        while (true)
        {
            if (p >= message.Length)
            {
                throw new DnsFormatException("name runs past the end of the message");
            }
            var length = message[p];
            if ((length & 0xc0) == 0xc0)
            {
                if (p + 1 >= message.Length)
                {
                    throw new DnsFormatException("truncated compression pointer");
                }
                var target = ((length & 0x3f) << 8) | message[p + 1];
                if (target < HeaderLength || target >= p)
                {
                    throw new DnsFormatException("compression pointer must point back into the message body");
                }
                if (++jumps > MaxPointerJumps)
                {
                    throw new DnsFormatException($"more than {MaxPointerJumps} compression pointers in one name");
                }
                resume ??= p + 2;
                p = target;
                continue;
            }
            if ((length & 0xc0) != 0)
            {
                throw new DnsFormatException("reserved label type");
            }
            if (length == 0)
            {
                pos = resume ?? p + 1;
                return text.ToString();
            }
            wireLength += length + 1;
            if (wireLength > MaxNameLength)
            {
                throw new DnsFormatException($"name longer than {MaxNameLength} bytes");
            }
            if (length > message.Length - p - 1)
            {
                throw new DnsFormatException("label runs past the end of the message");
            }
            if (text.Length > 0)
            {
                text.Append('.');
            }
            foreach (var b in message.Slice(p + 1, length))
            {
                AppendLabelByte(text, b);
            }
            p += 1 + length;
        }
    }

    private static void AppendLabelByte(StringBuilder text, byte b)
    {
        var c = (char)b;
        if (c is >= 'A' and <= 'Z')
        {
            text.Append((char)(c + 32));
        }
        else if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_')
        {
            text.Append(c);
        }
        else
        {
            text.Append('\\').Append(b.ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static bool IsQueryNameChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_';

    private static ushort ReadUInt16(ReadOnlySpan<byte> message, ref int pos)
    {
        if (message.Length - pos < 2)
        {
            throw new DnsFormatException("message ends inside a field");
        }
        var value = BinaryPrimitives.ReadUInt16BigEndian(message[pos..]);
        pos += 2;
        return value;
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> message, ref int pos)
    {
        if (message.Length - pos < 4)
        {
            throw new DnsFormatException("message ends inside a field");
        }
        var value = BinaryPrimitives.ReadUInt32BigEndian(message[pos..]);
        pos += 4;
        return value;
    }
}
