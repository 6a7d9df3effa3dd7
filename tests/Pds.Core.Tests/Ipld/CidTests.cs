using Pds.Core.Ipld;

namespace Pds.Core.Tests.Ipld;

public class CidTests
{
    [Fact]
    public void ForDagCbor_EmptyMap_KnownString()
    {
        // The CID of the empty map {} (0xa0) is a well-known value in every IPLD library.
        Assert.Equal("bafyreigbtj4x7ip5legnfznufuopl4sg4knzc2cof6duas4b3q2fy6swua", Cid.ForDagCbor([0xa0]).ToString());
    }

    [Fact]
    public void Parse_RoundTripsBinaryAndString()
    {
        var cid = Cid.ForRaw("hello"u8);
        var parsed = Cid.Parse(cid.ToString());
        Assert.Equal(cid, parsed);
        Assert.Equal(cid, Cid.FromBytes(cid.Bytes));
        Assert.Equal(Multicodec.Raw, parsed.Codec);
        Assert.True(parsed.Matches("hello"u8));
        Assert.False(parsed.Matches("hellO"u8));
    }

    [Theory]
    [InlineData("")]
    [InlineData("QmY7Yh4UquoXHLPFo2XbhXkhBvFoPwmQUSa92pxnxjQuPU")]
    [InlineData("zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA")]
    [InlineData("bafyreigbtj4x7ip5legnfznufuopl4sg4knzc2cof6duas4b3q2fy6swu")]
    [InlineData("bafyreigbtj4x7ip5legnfznufuopl4sg4knzc2cof6duas4b3q2fy6swuaa")]
    [InlineData("BAFYREIGBTJ4X7IP5LEGNFZNUFUOPL4SG4KNZC2COF6DUAS4B3Q2FY6SWUA")]
    public void TryParse_Invalid_ReturnsFalse(string text)
    {
        Assert.False(Cid.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void FromBytes_RandomInput_OnlyFormatException()
    {
        var rng = new Random(1234);
        var valid = Cid.ForDagCbor([0xa0]).Bytes.ToArray();
        for (var i = 0; i < 20_000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[rng.Next(0, 48)];
                rng.NextBytes(input);
            }
            else
            {
                input = (byte[])valid.Clone();
                input[rng.Next(input.Length)] ^= (byte)(1 << rng.Next(8));
                input = input[..rng.Next(input.Length + 1)];
            }
            try
            {
                Cid.FromBytes(input);
            }
            catch (CidFormatException)
            {
            }
        }
    }

    [Theory]
    [InlineData(0UL, "00")]
    [InlineData(127UL, "7f")]
    [InlineData(128UL, "8001")]
    [InlineData(300UL, "ac02")]
    [InlineData(0x7fffffffffffffffUL, "ffffffffffffffff7f")]
    public void Varint_KnownEncodings(ulong value, string hex)
    {
        var buf = new byte[9];
        var n = Varint.Write(value, buf);
        Assert.Equal(hex, Convert.ToHexString(buf, 0, n).ToLowerInvariant());
        Assert.True(Varint.TryRead(buf.AsSpan(0, n), out var back, out var read, out _));
        Assert.Equal((value, n), (back, read));
    }

    [Theory]
    [InlineData("8000")]
    [InlineData("80")]
    [InlineData("ffffffffffffffffff01")]
    public void Varint_Malformed_Rejected(string hex)
    {
        Assert.False(Varint.TryRead(Convert.FromHexString(hex), out _, out _, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Base58_And_Base32_RoundTripRandom()
    {
        var rng = new Random(99);
        for (var i = 0; i < 500; i++)
        {
            var data = new byte[rng.Next(0, 40)];
            rng.NextBytes(data);
            if (i % 5 == 0 && data.Length > 2)
            {
                data[0] = 0;
                data[1] = 0;
            }
            Assert.True(Base58.TryDecode(Base58.Encode(data), out var b58));
            Assert.Equal(data, b58);
            Assert.True(Base32.TryDecode(Base32.Encode(data), out var b32));
            Assert.Equal(data, b32);
        }
    }
}
