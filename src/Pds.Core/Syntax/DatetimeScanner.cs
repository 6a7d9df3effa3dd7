namespace Pds.Core.Syntax;

/// <summary>
/// Reads the Lexicon datetime shape <c>YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)</c> into numbers
/// without any platform date type, which could not hold year 0000 or long fractions.
/// </summary>
internal static class DatetimeScanner
{
    public const int MaxLength = 64;
    public const int MaxFractionDigits = 20;
    private const string DateTimeLayout = "dddd-dd-ddTdd:dd:dd";
    private const string OffsetLayout = "dd:dd";

    internal readonly record struct Parts(
        int Year, int Month, int Day, int Hour, int Minute, int Second, long FractionTicks, int OffsetMinutes);

    /// <summary>Returns null and the fields when <paramref name="s"/> is a real instant, else the reason.</summary>
    public static string? Scan(string s, out Parts parts)
    {
        parts = default;
        if (s.Length > MaxLength)
        {
            return $"longer than {MaxLength} characters";
        }
        if (Layout(s, 0, DateTimeLayout) is { } shape)
        {
            return shape;
        }
        var pos = DateTimeLayout.Length;
        long fractionTicks = 0;
        if (pos < s.Length && s[pos] == '.')
        {
            var start = ++pos;
            while (pos < s.Length && Ascii.IsDigit(s[pos]))
            {
                // Keep 100 ns ticks (7 digits); further digits are valid but finer than any clock here.
                fractionTicks = pos - start < 7 ? fractionTicks * 10 + (s[pos] - '0') : fractionTicks;
                pos++;
            }
            var digits = pos - start;
            if (digits is 0 or > MaxFractionDigits)
            {
                return $"fractional seconds need 1 to {MaxFractionDigits} digits";
            }
            for (var d = digits; d < 7; d++)
            {
                fractionTicks *= 10;
            }
        }
        if (Offset(s, pos, out var offset) is { } zone)
        {
            return zone;
        }
        parts = new Parts(Read(s, 0, 4), Read(s, 5, 2), Read(s, 8, 2), Read(s, 11, 2), Read(s, 14, 2), Read(s, 17, 2),
            fractionTicks, offset);
        return CheckRanges(parts);
    }

    private static string? Offset(string s, int pos, out int minutes)
    {
        minutes = 0;
        if (pos < s.Length && s[pos] == 'Z')
        {
            return pos == s.Length - 1 ? null : "unexpected characters after 'Z'";
        }
        if (pos >= s.Length || s[pos] is not ('+' or '-'))
        {
            return "timezone required: 'Z' or ±HH:MM";
        }
        if (pos + 1 + OffsetLayout.Length != s.Length)
        {
            return "timezone must be exactly ±HH:MM";
        }
        if (Layout(s, pos + 1, OffsetLayout) is { } shape)
        {
            return "timezone: " + shape;
        }
        int sign = s[pos] == '-' ? -1 : 1, h = Read(s, pos + 1, 2), m = Read(s, pos + 4, 2);
        if (h > 23 || m > 59)
        {
            return "timezone offset out of range";
        }
        if (sign < 0 && h == 0 && m == 0)
        {
            return "\"-00:00\" is not allowed; use 'Z' or \"+00:00\"";
        }
        minutes = sign * (h * 60 + m);
        return null;
    }

    private static string? CheckRanges(Parts p)
    {
        if (p.Month is < 1 or > 12)
        {
            return "month out of range";
        }
        if (p.Day < 1 || p.Day > DaysInMonth(p.Year, p.Month))
        {
            return "day out of range for the month";
        }
        if (p.Hour > 23 || p.Minute > 59 || p.Second > 59)
        {
            return "time of day out of range";
        }
        // Only a positive offset on the first hours of 0000-01-01 lands before year zero.
        var secondsOfYear = ((p.Day - 1) * 24 + p.Hour) * 3600 + p.Minute * 60 + p.Second;
        return p.Year == 0 && p.Month == 1 && secondsOfYear < p.OffsetMinutes * 60 ? "normalises to a negative year" : null;
    }

    // Proleptic Gregorian, so year 0 is a leap year.
    public static int DaysInMonth(int year, int month) => month switch
    {
        2 => year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    /// <summary>Matches <paramref name="layout"/> at <paramref name="start"/>: 'd' is any digit, other characters are literal.</summary>
    private static string? Layout(string s, int start, string layout)
    {
        for (var i = 0; i < layout.Length; i++)
        {
            var pos = start + i;
            if (pos >= s.Length)
            {
                return $"too short: expected {layout} at position {start}";
            }
            var ok = layout[i] == 'd' ? Ascii.IsDigit(s[pos]) : s[pos] == layout[i];
            if (!ok)
            {
                return $"character {Ascii.Show(s[pos])} at position {pos} does not fit {layout}";
            }
        }
        return null;
    }

    private static int Read(string s, int start, int count)
    {
        var value = 0;
        for (var i = start; i < start + count; i++)
        {
            value = value * 10 + (s[i] - '0');
        }
        return value;
    }
}
