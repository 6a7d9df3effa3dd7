using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Pds.Core.Syntax;

/// <summary>
/// A Lexicon <c>datetime</c>: the RFC 3339 / ISO 8601 intersection with a mandatory timezone,
/// checked to be a real instant. Kept exactly as written, since records must round-trip.
/// </summary>
public sealed class AtDatetime : SyntaxString, ISyntax<AtDatetime>
{
    private AtDatetime(string value) : base(value)
    {
    }

    static string ISyntax<AtDatetime>.Kind => "datetime";

    public static AtDatetime Parse(string s) => SyntaxParsing.Parse<AtDatetime>(s);

    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out AtDatetime? value) =>
        SyntaxParsing.TryParse<AtDatetime>(s, out value, out _);

    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out AtDatetime? value, out string error) =>
        SyntaxParsing.TryParse<AtDatetime>(s, out value, out error);

    /// <summary>The form the reference implementation writes: UTC, milliseconds, 'Z' (e.g. 2026-11-22T02:04:43.123Z).</summary>
    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture);

    public static AtDatetime FromDateTimeOffset(DateTimeOffset instant) => new(Format(instant));

    public static AtDatetime Now(TimeProvider timeProvider) => FromDateTimeOffset(timeProvider.GetUtcNow());

    /// <summary>
    /// The instant in UTC, truncated to 100 ns. False for instants a DateTimeOffset cannot hold
    /// (before year 1), which are still valid datetimes.
    /// </summary>
    public bool TryGetInstant(out DateTimeOffset instant)
    {
        instant = default;
        if (DatetimeScanner.Scan(ToString(), out var p) is not null || p.Year == 0)
        {
            return false;
        }
        var local = new DateTime(p.Year, p.Month, p.Day, p.Hour, p.Minute, p.Second).Ticks + p.FractionTicks;
        var utc = local - p.OffsetMinutes * TimeSpan.TicksPerMinute;
        if (utc < 0 || utc > DateTime.MaxValue.Ticks)
        {
            return false;
        }
        instant = new DateTimeOffset(utc, TimeSpan.Zero);
        return true;
    }

    static bool ISyntax<AtDatetime>.TryCreate(string s, [MaybeNullWhen(false)] out AtDatetime value, out string error)
    {
        if (DatetimeScanner.Scan(s, out _) is { } reason)
        {
            return SyntaxParsing.Fail(out value, out error, reason);
        }
        value = new AtDatetime(s);
        error = "";
        return true;
    }
}
