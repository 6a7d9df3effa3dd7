using System.Diagnostics.CodeAnalysis;

namespace Pds.Core.Syntax;

/// <summary>
/// A timestamp identifier: 64 bits (top bit 0, 53 bits of microseconds since the Unix epoch,
/// 10 bits of clock id) written as 13 base32-sortable characters, so string order is time order.
/// Parse follows the spec's syntax, whose first character (2..j) still admits the top bit, so
/// keys minted elsewhere are accepted; <see cref="FromParts"/> and the generator keep it clear.
/// </summary>
public readonly struct Tid : IEquatable<Tid>, IComparable<Tid>, IComparable, ISyntax<Tid>
{
    public const int Length = 13;
    public const long MaxMicroseconds = (1L << 53) - 1;
    public const int MaxClockId = 1023;
    private const string Alphabet = "234567abcdefghijklmnopqrstuvwxyz";

    private Tid(ulong value) => Value = value;

    static string ISyntax<Tid>.Kind => "tid";

    /// <summary>The 64-bit integer; compares the same way as the string form.</summary>
    public ulong Value { get; }

    public long TimestampMicroseconds => (long)(Value >> 10);

    public int ClockId => (int)(Value & MaxClockId);

    public static Tid FromParts(long micros, int clockId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(micros);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(micros, MaxMicroseconds);
        ArgumentOutOfRangeException.ThrowIfNegative(clockId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(clockId, MaxClockId);
        return new Tid(((ulong)micros << 10) | (uint)clockId);
    }

    public static Tid Parse(string s) => SyntaxParsing.Parse<Tid>(s);

    public static bool TryParse([NotNullWhen(true)] string? s, out Tid value) =>
        SyntaxParsing.TryParse(s, out value, out _);

    public static bool TryParse([NotNullWhen(true)] string? s, out Tid value, out string error) =>
        SyntaxParsing.TryParse(s, out value, out error);

    static bool ISyntax<Tid>.TryCreate(string s, out Tid value, out string error)
    {
        if (s.Length != Length)
        {
            return SyntaxParsing.Fail(out value, out error, $"must be exactly {Length} characters");
        }
        ulong v = 0;
        foreach (var c in s)
        {
            var digit = c < 128 ? Alphabet.IndexOf(c) : -1;
            if (digit < 0)
            {
                return SyntaxParsing.Fail(out value, out error, $"character {Ascii.Show(c)} is not base32-sortable");
            }
            v = (v << 5) | (uint)digit;
        }
        // 13 digits carry 65 bits; the first must stay below 16 so the value fits in 64.
        if (Alphabet.IndexOf(s[0]) >= 16)
        {
            return SyntaxParsing.Fail(out value, out error, "first character must be one of 234567abcdefghij");
        }
        value = new Tid(v);
        error = "";
        return true;
    }

    public override string ToString() => string.Create(Length, Value, static (chars, v) =>
    {
        for (var i = Length - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(v & 31)];
            v >>= 5;
        }
    });

    public bool Equals(Tid other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is Tid other && Equals(other);

    public override int GetHashCode() => Value.GetHashCode();

    public int CompareTo(Tid other) => Value.CompareTo(other.Value);

    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        Tid other => CompareTo(other),
        _ => throw new ArgumentException("object is not a Tid", nameof(obj)),
    };

    public static bool operator ==(Tid left, Tid right) => left.Equals(right);

    public static bool operator !=(Tid left, Tid right) => !left.Equals(right);

    public static bool operator <(Tid left, Tid right) => left.Value < right.Value;

    public static bool operator <=(Tid left, Tid right) => left.Value <= right.Value;

    public static bool operator >(Tid left, Tid right) => left.Value > right.Value;

    public static bool operator >=(Tid left, Tid right) => left.Value >= right.Value;
}
