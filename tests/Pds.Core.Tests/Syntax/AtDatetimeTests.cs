using Pds.Core.Syntax;

namespace Pds.Core.Tests.Syntax;

public class AtDatetimeTests
{
    [Fact]
    public void Format_Instant_MillisecondsUtcZ()
    {
        var instant = new DateTimeOffset(2026, 11, 22, 4, 4, 43, 123, TimeSpan.FromHours(2)).AddTicks(4567);
        Assert.Equal("2026-11-22T02:04:43.123Z", AtDatetime.Format(instant));
        Assert.True(AtDatetime.TryParse(AtDatetime.Format(instant), out _));
    }

    [Fact]
    public void Now_UsesTimeProvider() =>
        Assert.Equal("2026-01-02T03:04:05.000Z",
            AtDatetime.Now(new ManualTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero))).ToString());

    [Fact]
    public void Parse_KeepsTextAsWritten() =>
        Assert.Equal("1985-04-12T23:20:50.1235678912345+01:45", AtDatetime.Parse("1985-04-12T23:20:50.1235678912345+01:45").ToString());

    [Theory]
    [InlineData("2024-02-29T00:00:00Z", true)]   // leap year
    [InlineData("2023-02-29T00:00:00Z", false)]
    [InlineData("1900-02-29T00:00:00Z", false)]  // century, not leap
    [InlineData("2000-02-29T00:00:00Z", true)]   // 400th year, leap
    [InlineData("0000-02-29T00:00:00Z", true)]   // proleptic year zero is leap
    [InlineData("2024-04-31T00:00:00Z", false)]
    [InlineData("2024-12-31T23:59:59Z", true)]
    [InlineData("2024-12-31T24:00:00Z", false)]
    [InlineData("2024-12-31T23:59:60Z", false)]  // no leap seconds, as the reference parsers
    [InlineData("2024-12-31T23:59:59+24:00", false)]
    [InlineData("2024-12-31T23:59:59+23:59", true)]
    [InlineData("0000-01-01T01:00:00+01:00", true)]  // exactly the start of year zero
    [InlineData("0000-01-01T00:59:59.999+01:00", false)]
    [InlineData("0000-01-01T00:00:00-01:00", true)]
    [InlineData("1985-04-12T23:20:50.12345678901234567890Z", true)]   // 20 fraction digits
    [InlineData("1985-04-12T23:20:50.123456789012345678901Z", false)] // 21
    public void TryParse_CalendarAndRangeRules(string s, bool valid) =>
        Assert.Equal(valid, AtDatetime.TryParse(s, out _));

    [Fact]
    public void TryGetInstant_OffsetAndLongFraction_NormalisedToUtc()
    {
        Assert.True(AtDatetime.Parse("1985-04-12T23:20:50.123456789-07:00").TryGetInstant(out var instant));
        Assert.Equal(new DateTimeOffset(1985, 4, 13, 6, 20, 50, TimeSpan.Zero).AddTicks(1234567), instant);
        Assert.Equal(TimeSpan.Zero, instant.Offset);
    }

    [Fact]
    public void TryGetInstant_YearZero_ValidButNotRepresentable()
    {
        var dt = AtDatetime.Parse("0000-01-01T00:00:00.000Z");
        Assert.False(dt.TryGetInstant(out _));
    }

    [Fact]
    public void Parse_Invalid_ReasonIsPrecise()
    {
        var ex = Assert.Throws<AtSyntaxException>(() => AtDatetime.Parse("1985-04-12T23:20:50.123-00:00"));
        Assert.Equal("datetime", ex.Kind);
        Assert.Contains("-00:00", ex.Message);
    }
}
