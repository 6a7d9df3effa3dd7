using Pds.Core.Cbor;
using Pds.Core.DataModel;
using Pds.Core.Ipld;

namespace Pds.Core.Tests.Cbor;

/// <summary>Random and mutated bytes: the decoder may only ever throw its format exception.</summary>
public class DagCborFuzzTests
{
    private static readonly DataValue Sample = DataMap.Create(
        ("$type", DataValue.Of("app.bsky.feed.post")),
        ("text", DataValue.Of("hello 🌍 world")),
        ("createdAt", DataValue.Of("2026-11-22T02:04:43.123Z")),
        ("langs", new DataArray([DataValue.Of("en"), DataValue.Of("fr")])),
        ("n", DataValue.Of(-300000)),
        ("big", DataValue.Of(long.MaxValue)),
        ("flag", DataValue.True),
        ("none", DataValue.Null),
        ("raw", DataValue.Of(new byte[] { 1, 2, 3 })),
        ("embed", DataMap.Create(("ref", DataValue.Of(Cid.ForRaw("x"u8))), ("size", DataValue.Of(70000)))));

    [Fact]
    public void Decode_MutatedRecords_OnlyFormatException()
    {
        var valid = DagCbor.Encode(Sample);
        Assert.Equal(Sample, DagCbor.Decode(valid));
        var rng = new Random(42);
        for (var i = 0; i < 30_000; i++)
        {
            var input = Mutate(valid, rng);
            try
            {
                var value = DagCbor.Decode(input);
                // Anything accepted must be canonical: it re-encodes to the same bytes.
                Assert.Equal(Convert.ToHexString(input), Convert.ToHexString(DagCbor.Encode(value)));
            }
            catch (DagCborFormatException)
            {
            }
        }
    }

    [Fact]
    public void Decode_RandomBytes_OnlyFormatException()
    {
        var rng = new Random(7);
        for (var i = 0; i < 30_000; i++)
        {
            var input = new byte[rng.Next(0, 64)];
            rng.NextBytes(input);
            try
            {
                var value = DagCbor.Decode(input);
                Assert.Equal(Convert.ToHexString(input), Convert.ToHexString(DagCbor.Encode(value)));
            }
            catch (DagCborFormatException)
            {
            }
        }
    }

    internal static byte[] Mutate(byte[] valid, Random rng)
    {
        var input = (byte[])valid.Clone();
        switch (rng.Next(4))
        {
            case 0:
                input[rng.Next(input.Length)] ^= (byte)(1 << rng.Next(8));
                return input;
            case 1:
                return input[..rng.Next(input.Length)];
            case 2:
                input[rng.Next(input.Length)] = (byte)rng.Next(256);
                return input;
            default:
                var at = rng.Next(input.Length);
                var extra = new byte[rng.Next(1, 4)];
                rng.NextBytes(extra);
                return [.. input[..at], .. extra, .. input[at..]];
        }
    }
}
