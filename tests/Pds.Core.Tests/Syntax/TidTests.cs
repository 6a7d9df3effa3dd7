using Pds.Core.Syntax;

namespace Pds.Core.Tests.Syntax;

public class TidTests
{
    [Fact]
    public void FromParts_KnownValue_EncodesLikeReference()
    {
        var tid = Tid.FromParts(1724171495793000, 512);
        Assert.Equal("3l25zusnsfck2", tid.ToString());
        Assert.Equal(1724171495793000, tid.TimestampMicroseconds);
        Assert.Equal(512, tid.ClockId);
    }

    [Fact]
    public void Parse_SpecExample_DecodesParts()
    {
        var tid = Tid.Parse("3jzfcijpj2z2a");
        Assert.Equal(1688137381887007, tid.TimestampMicroseconds);
        Assert.Equal(6, tid.ClockId);
        Assert.Equal("3jzfcijpj2z2a", tid.ToString());
    }

    [Fact]
    public void ToString_Zero_IsAllTwos() => Assert.Equal("2222222222222", Tid.FromParts(0, 0).ToString());

    [Fact]
    public void FromParts_Extremes_RoundTrip()
    {
        var max = Tid.FromParts(Tid.MaxMicroseconds, Tid.MaxClockId);
        Assert.Equal(max, Tid.Parse(max.ToString()));
        Assert.Equal('b', max.ToString()[0]); // top bit clear: first digit at most 7 of 0..15
    }

    [Theory]
    [InlineData(-1L, 0)]
    [InlineData(1L << 53, 0)]
    [InlineData(0L, -1)]
    [InlineData(0L, 1024)]
    public void FromParts_OutOfRange_Throws(long micros, int clockId) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Tid.FromParts(micros, clockId));

    [Fact]
    public void Comparison_FollowsStringOrder()
    {
        var random = new Random(1234);
        for (var i = 0; i < 1000; i++)
        {
            var a = Tid.FromParts(random.NextInt64(Tid.MaxMicroseconds), random.Next(1024));
            var b = Tid.FromParts(random.NextInt64(Tid.MaxMicroseconds), random.Next(1024));
            var expected = Math.Sign(string.CompareOrdinal(a.ToString(), b.ToString()));
            Assert.Equal(expected, Math.Sign(a.CompareTo(b)));
            Assert.Equal(expected < 0, a < b);
            Assert.Equal(expected <= 0, a <= b);
            Assert.Equal(expected > 0, a > b);
            Assert.Equal(expected >= 0, a >= b);
            Assert.Equal(expected == 0, a == b);
        }
    }

    [Fact]
    public void CompareTo_Object_HandlesNullAndWrongType()
    {
        IComparable tid = Tid.FromParts(1, 1);
        Assert.True(tid.CompareTo(null) > 0);
        Assert.Equal(0, tid.CompareTo(Tid.FromParts(1, 1)));
        Assert.Throws<ArgumentException>(() => tid.CompareTo("2222222222222"));
    }

    [Fact]
    public void Parse_Invalid_ThrowsWithKind()
    {
        var ex = Assert.Throws<AtSyntaxException>(() => Tid.Parse("3jzfcijpj2z2"));
        Assert.Equal("tid", ex.Kind);
        Assert.Contains("13 characters", ex.Message);
    }

    [Fact]
    public void RecordKey_FromTid_IsTheTidString()
    {
        var tid = Tid.FromParts(1724171495793000, 512);
        Assert.Equal(RecordKey.Parse("3l25zusnsfck2"), RecordKey.FromTid(tid));
    }
}
