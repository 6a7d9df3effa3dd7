using Pds.Core.Cbor;
using Pds.Core.DataModel;

namespace Pds.Core.Tests.Cbor;

public class DagCborReaderTests
{
    [Theory]
    [InlineData("1817", "integer not in shortest form")]          // 23 in two bytes
    [InlineData("190010", "integer not in shortest form")]
    [InlineData("5f41ff", "indefinite")]                          // indefinite byte string
    [InlineData("9f01ff", "indefinite")]
    [InlineData("fb3ff0000000000000", "floats")]
    [InlineData("f93c00", "floats")]
    [InlineData("f7", "undefined")]
    [InlineData("c074", "tag 0")]
    [InlineData("a2616201616101", "canonical order")]             // {"b":1,"a":1}
    [InlineData("a2616101616101", "canonical order")]             // duplicate key
    [InlineData("a1010101", "map keys must be text")]
    [InlineData("0101", "trailing bytes")]
    [InlineData("62c328", "UTF-8")]
    [InlineData("9a7fffffff", "array length exceeds")]
    [InlineData("5a7fffffff00", "length exceeds")]
    [InlineData("1bffffffffffffffff", "signed 64-bit")]
    [InlineData("d82a43017112", "0x00")]
    [InlineData("d82a4400017112", "invalid CID link")]
    public void Decode_NonCanonical_Throws(string hex, string reason)
    {
        var ex = Assert.Throws<DagCborFormatException>(() => DagCbor.Decode(Convert.FromHexString(hex)));
        Assert.Contains(reason, ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Decode_DeepNesting_IsBounded()
    {
        var bytes = Enumerable.Repeat((byte)0x81, 10_000).Append((byte)0x01).ToArray();
        var ex = Assert.Throws<DagCborFormatException>(() => DagCbor.Decode(bytes));
        Assert.Contains("nesting", ex.Message);
    }

    [Fact]
    public void Encode_SortsKeysByLengthThenBytes()
    {
        var map = DataMap.Create(("bb", DataValue.Of(1)), ("a", DataValue.Of(2)), ("ab", DataValue.Of(3)));
        Assert.Equal("a3616102626162036262620" + "1", Convert.ToHexString(DagCbor.Encode(map)).ToLowerInvariant());
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(23L)]
    [InlineData(24L)]
    [InlineData(255L)]
    [InlineData(256L)]
    [InlineData(65535L)]
    [InlineData(65536L)]
    [InlineData(4294967295L)]
    [InlineData(4294967296L)]
    [InlineData(long.MaxValue)]
    [InlineData(-1L)]
    [InlineData(-24L)]
    [InlineData(-25L)]
    [InlineData(long.MinValue)]
    public void Integer_RoundTrips(long value)
    {
        var bytes = DagCbor.Encode(DataValue.Of(value));
        Assert.Equal(value, ((DataInteger)DagCbor.Decode(bytes)).Value);
    }
}
