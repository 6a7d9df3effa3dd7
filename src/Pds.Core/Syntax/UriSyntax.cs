namespace Pds.Core.Syntax;

/// <summary>
/// The Lexicon <c>uri</c> format: an RFC 3986 scheme, ':', then a non-empty rest with no
/// whitespace or control characters, at most 8 KiB. Deliberately generic: no per-scheme rules.
/// </summary>
public static class UriSyntax
{
    public const string Kind = "uri";
    public const int MaxLength = 8 * 1024;

    public static bool IsValid(string? s) => IsValid(s, out _);

    public static bool IsValid(string? s, out string error)
    {
        error = Check(s) ?? "";
        return error.Length == 0;
    }

    private static string? Check(string? s)
    {
        if (s is null)
        {
            return "value is null";
        }
        if (s.Length > MaxLength)
        {
            return $"longer than {MaxLength} characters";
        }
        var colon = s.IndexOf(':');
        if (colon <= 0 || !Ascii.IsLetter(s[0]))
        {
            return "must start with a scheme (a letter, then letters, digits, '+', '-' or '.') and ':'";
        }
        for (var i = 1; i < colon; i++)
        {
            if (!Ascii.IsLetterOrDigit(s[i]) && s[i] is not ('+' or '-' or '.'))
            {
                return $"character {Ascii.Show(s[i])} not allowed in scheme";
            }
        }
        if (colon == s.Length - 1)
        {
            return "nothing after the scheme";
        }
        for (var i = colon + 1; i < s.Length; i++)
        {
            if (char.IsWhiteSpace(s[i]) || char.IsControl(s[i]))
            {
                return $"character {Ascii.Show(s[i])} not allowed";
            }
        }
        return null;
    }
}
