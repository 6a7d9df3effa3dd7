using System.Text;

namespace Pds.Core.Identity;

public enum DnsResponseCode
{
    NoError = 0,
    FormatError = 1,
    ServerFailure = 2,
    NameError = 3,
    NotImplemented = 4,
    Refused = 5,
}

/// <summary>One resource record of the answer section, its data uninterpreted.</summary>
public sealed record DnsRecord(string Name, ushort Type, ushort Class, uint Ttl, ReadOnlyMemory<byte> Data);

/// <summary>A TXT record: its character-strings as sent, and their concatenation as text.</summary>
public sealed record DnsTxtRecord(string Name, uint Ttl, IReadOnlyList<byte[]> Strings)
{
    /// <summary>The strings joined (RFC 7208 style), decoded as UTF-8 with bad bytes replaced.</summary>
    public string Text => Encoding.UTF8.GetString(Strings.SelectMany(s => s).ToArray());
}

/// <summary>
/// A parsed response to one <see cref="DnsQuery"/>. <see cref="Txt"/> holds the TXT records that
/// answer the question: owned by the question name or by a name it is a CNAME of (within the
/// answer section); records about other names are ignored.
/// </summary>
public sealed class DnsResponse
{
    internal DnsResponse(ushort id, DnsResponseCode code, bool truncated, IReadOnlyList<DnsRecord> answers, IReadOnlyList<DnsTxtRecord> txt)
    {
        Id = id;
        ResponseCode = code;
        IsTruncated = truncated;
        Answers = answers;
        Txt = txt;
    }

    public ushort Id { get; }
    public DnsResponseCode ResponseCode { get; }

    /// <summary>TC: the server cut the answer to fit a UDP datagram; the records may be incomplete.</summary>
    public bool IsTruncated { get; }

    public IReadOnlyList<DnsRecord> Answers { get; }
    public IReadOnlyList<DnsTxtRecord> Txt { get; }
}
