using System.Text;
using System.Text.Json;
using Pds.Azure.SignalR;

namespace Pds.Azure.Tests.SignalR;

/// <summary>
/// Property tests over seeded random input: any split of a valid record stream yields the same
/// messages, and arbitrary bytes make the splitter and parser throw HubProtocolException or nothing.
/// </summary>
public sealed class HubProtocolFuzzTests
{
    private const int MaxRecordSize = 4096;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RandomSplits_OfValidStream_YieldSameMessages(int seed)
    {
        var random = new Random(seed);
        var (stream, expected) = ValidStream(random, count: 300);

        for (var round = 0; round < 50; round++)
        {
            var splitter = new HubRecordSplitter(MaxRecordSize);
            var records = new List<byte[]>();
            var offset = 0;
            while (offset < stream.Length)
            {
                // Mostly small chunks, sometimes empty, sometimes large, like WebSocket reads.
                var size = random.Next(4) switch
                {
                    0 => 0,
                    1 => random.Next(1, 4),
                    2 => random.Next(1, 64),
                    _ => random.Next(1, 2048),
                };
                size = Math.Min(size, stream.Length - offset);
                splitter.Feed(stream.AsSpan(offset, size), records);
                offset += size;
            }

            Assert.Equal(0, splitter.PendingBytes);
            Assert.Equal(expected, records.Select(r => Describe(HubProtocol.ParseMessage(r))));
        }
    }

    [Theory]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(12)]
    public void RandomGarbage_OnlyHubProtocolExceptionEscapes(int seed)
    {
        var random = new Random(seed);
        var (valid, _) = ValidStream(random, count: 50);
        for (var round = 0; round < 2000; round++)
        {
            var input = round % 2 == 0 ? RandomBytes(random) : Mutate(random, valid);
            var splitter = new HubRecordSplitter(MaxRecordSize);
            var records = new List<byte[]>();
            try
            {
                var offset = 0;
                while (offset < input.Length)
                {
                    var size = Math.Min(random.Next(1, 512), input.Length - offset);
                    splitter.Feed(input.AsSpan(offset, size), records);
                    offset += size;
                    foreach (var record in records)
                    {
                        HubProtocol.ParseMessage(record);
                        Assert.True(record.Length <= MaxRecordSize);
                    }
                    records.Clear();
                }
            }
            catch (HubProtocolException)
            {
                // The only failure a caller has to handle.
            }
        }
    }

    [Fact]
    public void Handshake_RandomGarbage_OnlyHubProtocolExceptionEscapes()
    {
        var random = new Random(20);
        for (var round = 0; round < 2000; round++)
        {
            try
            {
                HubProtocol.ParseHandshakeResponse(RandomBytes(random, max: 40));
            }
            catch (HubProtocolException)
            {
            }
        }
    }

    private static (byte[] Stream, List<string> Expected) ValidStream(Random random, int count)
    {
        var text = new StringBuilder();
        var expected = new List<string>();
        for (var i = 0; i < count; i++)
        {
            string record;
            switch (random.Next(5))
            {
                case 0:
                    record = "{\"type\":6}";
                    break;
                case 1:
                    record = $"{{\"type\":7,\"error\":\"bye \\u001e {i}\",\"allowReconnect\":{(i % 2 == 0 ? "true" : "false")}}}";
                    break;
                case 2:
                    record = $"{{\"type\":3,\"invocationId\":\"{i}\",\"result\":{{\"x\":[1,2,3]}}}}";
                    break;
                default:
                    // Strings with escapes and non-ASCII, so records are not all alike.
                    record = $"{{\"type\":1,\"target\":\"seq\",\"arguments\":[{i},\"did:plc:ü{i}\\\"\",{{\"n\":{random.Next()}}}]}}";
                    break;
            }
            text.Append(record).Append('\u001e');
            expected.Add(Describe(HubProtocol.ParseMessage(Encoding.UTF8.GetBytes(record))));
        }
        return (Encoding.UTF8.GetBytes(text.ToString()), expected);
    }

    private static byte[] RandomBytes(Random random, int max = 600)
    {
        var bytes = new byte[random.Next(0, max)];
        random.NextBytes(bytes);
        // Sprinkle separators and JSON punctuation so records actually form.
        for (var i = 0; i < bytes.Length; i++)
        {
            if (random.Next(8) == 0)
            {
                var punctuation = "{}[]\":,1\u001e"u8;
                bytes[i] = punctuation[random.Next(punctuation.Length)];
            }
        }
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] valid)
    {
        var bytes = (byte[])valid.Clone();
        var edits = random.Next(1, 10);
        for (var i = 0; i < edits; i++)
        {
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
        }
        return random.Next(4) == 0 ? bytes[..random.Next(bytes.Length)] : bytes;
    }

    private static string Describe(HubMessage message) => message switch
    {
        InvocationMessage m => $"invoke {m.Invocation.Target} {JsonSerializer.Serialize(m.Invocation.Arguments)}",
        _ => message.ToString()!,
    };
}
