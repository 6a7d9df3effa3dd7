using Pds.Core.Identity;

namespace Pds.Core.Tests.Identity;

public class DnsMessageTests
{
    private const string Name = "_atproto.alice.example.com";

    [Fact]
    public void CreateQuery_KnownBytes()
    {
        var query = DnsMessage.CreateQuery("_ATproto.Alice.test.", DnsMessage.TypeTxt, 0x1234);
        var expected = Convert.FromHexString(
            "1234" + "0100" + "0001" + "0000" + "0000" + "0000" +
            "085f617470726f746f" + "05616c696365" + "0474657374" + "00" + "0010" + "0001");
        Assert.Equal(expected, query.Bytes.ToArray());
        Assert.Equal("_atproto.alice.test", query.Name);
        Assert.Equal(0x1234, query.Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("a..b")]
    [InlineData("a b.com")]
    [InlineData("é.com")]
    [InlineData("a\\.com")]
    public void CreateQuery_BadName_ArgumentException(string name)
    {
        Assert.Throws<ArgumentException>(() => DnsMessage.CreateTxtQuery(name));
    }

    [Fact]
    public void CreateQuery_LongLabelsOrName_ArgumentException()
    {
        Assert.Throws<ArgumentException>(() => DnsMessage.CreateTxtQuery(new string('a', 64) + ".com"));
        Assert.Throws<ArgumentException>(() => DnsMessage.CreateTxtQuery(string.Join('.', Enumerable.Repeat(new string('a', 63), 4))));
        DnsMessage.CreateTxtQuery(string.Join('.', Enumerable.Repeat(new string('a', 63), 3)) + "." + new string('b', 61));
    }

    [Fact]
    public void CreateTxtQuery_RandomIds()
    {
        var ids = Enumerable.Range(0, 64).Select(_ => DnsMessage.CreateTxtQuery(Name).Id).Distinct().Count();
        Assert.True(ids > 32);
    }

    [Fact]
    public void ParseResponse_TxtRecords_SplitIntoStringsAndJoined()
    {
        var query = DnsMessage.CreateQuery(Name, DnsMessage.TypeTxt, 7);
        var bytes = new DnsWire().Header(7, DnsWire.ResponseFlags, 1, 2).Question(Name)
            .Pointer(12).RecordBody(DnsMessage.TypeTxt, DnsWire.TxtData("did=did:plc:", "abc"), ttl: 60)
            .Labels("_ATPROTO").Pointer(12 + 9).RecordBody(DnsMessage.TypeTxt, DnsWire.TxtData("v=spf1", ""))
            .ToArray();
        var response = DnsMessage.ParseResponse(bytes, query);

        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.False(response.IsTruncated);
        Assert.Equal(2, response.Txt.Count);
        Assert.Equal("did=did:plc:abc", response.Txt[0].Text);
        Assert.Equal(2, response.Txt[0].Strings.Count);
        Assert.Equal(60u, response.Txt[0].Ttl);
        Assert.Equal("v=spf1", response.Txt[1].Text);
        Assert.Equal(Name, response.Txt[1].Name);
    }

    [Fact]
    public void ParseResponse_CnameChain_FollowedWithinAnswers()
    {
        var query = DnsMessage.CreateQuery(Name, DnsMessage.TypeTxt, 9);
        var w = new DnsWire().Header(9, DnsWire.ResponseFlags, 1, 4).Question(Name);
        // A TXT for an unrelated name comes first and must be ignored.
        w.Name("other.example.com").RecordBody(DnsMessage.TypeTxt, DnsWire.TxtData("did=did:plc:other"));
        // question -> first.example.net -> target.example.net, the second target compressed against the first.
        var firstData = w.Position + 12;
        w.Pointer(12).RecordBody(DnsMessage.TypeCname, new DnsWire().Name("first.example.net").ToArray());
        var secondData = w.Position + 12;
        w.Pointer(firstData).RecordBody(DnsMessage.TypeCname, new DnsWire().Labels("target").Pointer(firstData + 6).ToArray());
        w.Pointer(secondData).RecordBody(DnsMessage.TypeTxt, DnsWire.TxtData("did=did:plc:target"));
        var response = DnsMessage.ParseResponse(w.ToArray(), query);

        Assert.Equal(4, response.Answers.Count);
        Assert.Equal(["did=did:plc:target"], response.Txt.Select(t => t.Text));
        Assert.Equal("target.example.net", response.Txt[0].Name);
    }

    [Fact]
    public void ParseResponse_NameErrorAndTruncation_Reported()
    {
        var query = DnsMessage.CreateQuery(Name, DnsMessage.TypeTxt, 3);
        var nx = DnsMessage.ParseResponse(new DnsWire().Header(3, 0x8183, 1, 0).Question(Name).ToArray(), query);
        Assert.Equal(DnsResponseCode.NameError, nx.ResponseCode);
        Assert.Empty(nx.Txt);

        var tc = DnsMessage.ParseResponse(new DnsWire().Header(3, 0x8380, 1, 0).Question(Name).ToArray(), query);
        Assert.True(tc.IsTruncated);
    }

    [Fact]
    public void ParseResponse_AuthorityAndAdditionalSections_NotRead()
    {
        var query = DnsMessage.CreateQuery(Name, DnsMessage.TypeTxt, 5);
        var bytes = new DnsWire().Header(5, DnsWire.ResponseFlags, 1, 1, 3, 9).Question(Name)
            .Pointer(12).RecordBody(DnsMessage.TypeTxt, DnsWire.TxtData("did=did:plc:x")).Raw(0xff, 0xff).ToArray();
        Assert.Single(DnsMessage.ParseResponse(bytes, query).Txt);
    }

    public static TheoryData<string, byte[]> Malformed()
    {
        var q = DnsMessage.CreateQuery(Name, DnsMessage.TypeTxt, 0x0102);
        byte[] Good() => DnsWire.TxtResponse(q, "did=did:plc:abc");
        byte[] With(Action<byte[]> change)
        {
            var b = Good();
            change(b);
            return b;
        }
        var data = new TheoryData<string, byte[]>
        {
            { "empty", [] },
            { "short header", Good()[..11] },
            { "truncated answer", Good()[..^3] },
            { "wrong id", With(b => b[1] ^= 1) },
            { "a query, not a response", With(b => b[2] &= 0x7f) },
            { "non-standard opcode", With(b => b[2] |= 0x08) },
            { "no question", With(b => b[5] = 0) },
            { "two questions", With(b => b[5] = 2) },
            { "other question name", With(b => b[14] = (byte)'b') },
            { "other question type", With(b => b[12 + 28] = 1) },
            { "answer count past the data", With(b => b[7] = 2) },
            { "rdata length past the end", With(b => b[^17] = 0x7f) },
            { "TXT string past its record", With(b => b[^16] = 200) },
            { "too long", new byte[DnsMessage.MaxMessageLength + 1] },
        };
        data.Add("empty TXT rdata", new DnsWire().Header(0x0102, DnsWire.ResponseFlags, 1, 1).Question(Name)
            .Pointer(12).RecordBody(DnsMessage.TypeTxt, []).ToArray());
        data.Add("pointer to itself", new DnsWire().Header(0x0102, DnsWire.ResponseFlags, 1, 0).Pointer(12).ToArray());
        data.Add("pointer forwards", new DnsWire().Header(0x0102, DnsWire.ResponseFlags, 1, 0).Pointer(14).Name(Name).ToArray());
        data.Add("pointer into the header", new DnsWire().Header(0x0102, DnsWire.ResponseFlags, 1, 0).Pointer(4).ToArray());
        data.Add("truncated pointer", new DnsWire().Header(0x0102, DnsWire.ResponseFlags, 1, 0).U8(0xc0).ToArray());
        data.Add("reserved label type", new DnsWire().Header(0x0102, DnsWire.ResponseFlags, 1, 0).U8(0x40).Raw(new byte[70]).ToArray());
        data.Add("label past the end", new DnsWire().Header(0x0102, DnsWire.ResponseFlags, 1, 0).U8(20).Raw(1, 2, 3).ToArray());
        data.Add("name over 255 bytes", new DnsWire().Header(0x0102, DnsWire.ResponseFlags, 1, 0)
            .Labels(string.Join('.', Enumerable.Repeat(new string('a', 63), 5))).U8(0).U16(16).U16(1).ToArray());
        data.Add("CNAME data with trailing bytes", new DnsWire().Header(0x0102, DnsWire.ResponseFlags, 1, 1).Question(Name)
            .Pointer(12).RecordBody(DnsMessage.TypeCname, [.. new DnsWire().Name("x.example").ToArray(), 0]).ToArray());
        data.Add("too many jumps", PointerChain(DnsMessage.MaxPointerJumps));
        return data;
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void ParseResponse_Malformed_DnsFormatException(string why, byte[] message)
    {
        var query = DnsMessage.CreateQuery(Name, DnsMessage.TypeTxt, 0x0102);
        var e = Assert.Throws<DnsFormatException>(() => DnsMessage.ParseResponse(message, query));
        Assert.False(string.IsNullOrEmpty(e.Message), why);
    }

    [Fact]
    public void ParseResponse_MaxJumps_Allowed()
    {
        var query = DnsMessage.CreateQuery(Name, DnsMessage.TypeTxt, 0x0102);
        var response = DnsMessage.ParseResponse(PointerChain(DnsMessage.MaxPointerJumps - 1), query);
        Assert.Equal(["did=did:plc:chained"], response.Txt.Select(t => t.Text));
    }

    /// <summary>
    /// A first record whose data is <paramref name="links"/> pointers, each to the one before it
    /// (the first to the question name); the TXT record's owner points at the last link, so
    /// reading it takes links + 1 jumps, every one of them backwards.
    /// </summary>
    private static byte[] PointerChain(int links)
    {
        var w = new DnsWire().Header(0x0102, DnsWire.ResponseFlags, 1, 2).Question(Name);
        var dataStart = w.Position + 2 + 10;
        var chain = new DnsWire();
        var previous = DnsMessage.HeaderLength;
        for (var i = 0; i < links; i++)
        {
            var at = dataStart + chain.Position;
            chain.Pointer(previous);
            previous = at;
        }
        w.Pointer(DnsMessage.HeaderLength).RecordBody(99, chain.ToArray());
        w.Pointer(previous).RecordBody(DnsMessage.TypeTxt, DnsWire.TxtData("did=did:plc:chained"));
        return w.ToArray();
    }
}
