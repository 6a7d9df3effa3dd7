using Pds.Core.Identity;

namespace Pds.Core.Tests.Identity;

/// <summary>Seeded random and mutated responses: a parsed response or DnsFormatException, nothing else.</summary>
public class DnsMessageFuzzTests
{
    private const string Name = "_atproto.alice.example.com";

    [Fact]
    public void ParseResponse_RandomBytes_OnlyDnsFormatException()
    {
        var random = new Random(1035);
        var query = DnsMessage.CreateQuery(Name, DnsMessage.TypeTxt, 0xbeef);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, i % 50 == 0 ? 2000 : 120)];
            random.NextBytes(bytes);
            if (bytes.Length >= 12 && i % 2 == 0)
            {
                // A plausible header gets past the first checks more often.
                bytes[0] = 0xbe;
                bytes[1] = 0xef;
                bytes[2] = (byte)(0x80 | (bytes[2] & 0x07));
                bytes[4] = 0;
                bytes[5] = 1;
                bytes[6] = 0;
            }
            Parse(bytes, query);
        }
    }

    [Fact]
    public void ParseResponse_MutatedValidResponses_OnlyDnsFormatException()
    {
        var random = new Random(1034);
        var query = DnsMessage.CreateQuery(Name, DnsMessage.TypeTxt, 0x0a0b);
        byte[][] seeds =
        [
            DnsWire.TxtResponse(query, "did=did:plc:abcdefghijklmnopqrstuvwx"),
            DnsWire.TxtResponse(query, "did=did:plc:one", "did=did:plc:two", "v=spf1 -all"),
            new DnsWire().Header(query.Id, DnsWire.ResponseFlags, 1, 2).Question(Name)
                .Pointer(12).RecordBody(DnsMessage.TypeCname, new DnsWire().Labels("x").Pointer(12 + 9).ToArray())
                .Labels("x").Pointer(12 + 9).RecordBody(DnsMessage.TypeTxt, DnsWire.TxtData("did=", "did:web:x.example")).ToArray(),
        ];
        var parsed = 0;
        for (var i = 0; i < 30_000; i++)
        {
            var bytes = Mutate(random, seeds[i % seeds.Length]);
            if (Parse(bytes, query) is { } response)
            {
                parsed++;
                Assert.Equal(query.Id, response.Id);
                Assert.All(response.Txt, t => Assert.NotEmpty(t.Strings));
            }
        }
        Assert.True(parsed > 100, $"only {parsed} mutated responses parsed; the mutations are too destructive to reach deep code");
    }

    private static DnsResponse? Parse(byte[] bytes, DnsQuery query)
    {
        try
        {
            return DnsMessage.ParseResponse(bytes, query);
        }
        catch (DnsFormatException)
        {
            return null;
        }
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var bytes = seed.ToList();
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            // Leave the id alone most of the time, so the parser gets past the first check.
            var at = random.Next(bytes.Count > 2 && random.Next(4) > 0 ? 2 : 0, Math.Max(bytes.Count, 1));
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    bytes[at % bytes.Count] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at % bytes.Count] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.Insert(Math.Min(at, bytes.Count), (byte)random.Next(256));
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveAt(at % bytes.Count);
                    break;
                case 4:
                    bytes.RemoveRange(Math.Min(at, bytes.Count), bytes.Count - Math.Min(at, bytes.Count));
                    break;
                default:
                    // A compression pointer anywhere: the loop and bounds checks' favourite input.
                    bytes.Insert(Math.Min(at, bytes.Count), (byte)(0xc0 | random.Next(2)));
                    bytes.Insert(Math.Min(at + 1, bytes.Count), (byte)random.Next(256));
                    break;
            }
        }
        return [.. bytes];
    }
}
