using System.Diagnostics.CodeAnalysis;

namespace Pds.Core.Syntax;

/// <summary>
/// A record key: 1..512 characters from <c>A-Z a-z 0-9 . - _ : ~</c>, never "." or ".."
/// (they would read as path segments in an AT-URI).
/// </summary>
public sealed class RecordKey : SyntaxString, ISyntax<RecordKey>
{
    public const int MaxLength = 512;

    private RecordKey(string value) : base(value)
    {
    }

    static string ISyntax<RecordKey>.Kind => "record-key";

    public static RecordKey Parse(string s) => SyntaxParsing.Parse<RecordKey>(s);

    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out RecordKey? value) =>
        SyntaxParsing.TryParse<RecordKey>(s, out value, out _);

    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out RecordKey? value, out string error) =>
        SyntaxParsing.TryParse<RecordKey>(s, out value, out error);

    public static RecordKey FromTid(Tid tid) => new(tid.ToString());

    static bool ISyntax<RecordKey>.TryCreate(string s, [MaybeNullWhen(false)] out RecordKey value, out string error)
    {
        if (s.Length is 0 or > MaxLength)
        {
            return SyntaxParsing.Fail(out value, out error, $"must be 1 to {MaxLength} characters");
        }
        if (s is "." or "..")
        {
            return SyntaxParsing.Fail(out value, out error, "\".\" and \"..\" are not allowed");
        }
        foreach (var c in s)
        {
            if (!Ascii.IsLetterOrDigit(c) && c is not ('.' or '-' or '_' or ':' or '~'))
            {
                return SyntaxParsing.Fail(out value, out error, $"character {Ascii.Show(c)} not allowed");
            }
        }
        value = new RecordKey(s);
        error = "";
        return true;
    }
}
