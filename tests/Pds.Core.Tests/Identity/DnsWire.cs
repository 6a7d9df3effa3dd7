using System.Text;
using Pds.Core.Identity;

namespace Pds.Core.Tests.Identity;

/// <summary>Writes DNS messages byte by byte, so tests can build well-formed and hostile ones alike.</summary>
internal sealed class DnsWire
{
    public const ushort ResponseFlags = 0x8180; // QR, RD, RA, NOERROR

    private readonly List<byte> _bytes = [];

    public int Position => _bytes.Count;

    public DnsWire U8(int v)
    {
        _bytes.Add((byte)v);
        return this;
    }

    public DnsWire U16(int v) => U8(v >> 8).U8(v);

    public DnsWire U32(uint v) => U16((int)(v >> 16)).U16((int)(v & 0xffff));

    public DnsWire Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public DnsWire Header(int id, int flags, int questions, int answers, int authority = 0, int additional = 0) =>
        U16(id).U16(flags).U16(questions).U16(answers).U16(authority).U16(additional);

    /// <summary>Labels of a dotted name, without the terminating zero (so a pointer can follow).</summary>
    public DnsWire Labels(string dotted)
    {
        foreach (var label in dotted.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bytes = Encoding.ASCII.GetBytes(label);
            U8(bytes.Length).Raw(bytes);
        }
        return this;
    }

    public DnsWire Name(string dotted) => Labels(dotted).U8(0);

    public DnsWire Pointer(int offset) => U8(0xc0 | (offset >> 8)).U8(offset);

    public DnsWire Question(string name, int type = DnsMessage.TypeTxt) => Name(name).U16(type).U16(DnsMessage.ClassIn);

    /// <summary>Type, class, TTL, then rdata with its length; the owner name is written by the caller.</summary>
    public DnsWire RecordBody(int type, byte[] rdata, int cls = DnsMessage.ClassIn, uint ttl = 300) =>
        U16(type).U16(cls).U32(ttl).U16(rdata.Length).Raw(rdata);

    public static byte[] TxtData(params string[] strings)
    {
        var data = new List<byte>();
        foreach (var s in strings)
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            data.Add((byte)bytes.Length);
            data.AddRange(bytes);
        }
        return [.. data];
    }

    public byte[] ToArray() => [.. _bytes];

    /// <summary>A typical answer: the question echoed, each record's owner a pointer to it, one string per record.</summary>
    public static byte[] TxtResponse(DnsQuery query, params string[] records)
    {
        var w = new DnsWire().Header(query.Id, ResponseFlags, 1, records.Length).Question(query.Name);
        foreach (var r in records)
        {
            w.Pointer(DnsMessage.HeaderLength).RecordBody(DnsMessage.TypeTxt, TxtData(r));
        }
        return w.ToArray();
    }
}
