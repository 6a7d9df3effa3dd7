namespace Pds.Core.Syntax;

/// <summary>Character classes shared by the scanners; ASCII only, so no culture rules apply.</summary>
internal static class Ascii
{
    public static bool IsLetter(char c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a';

    public static bool IsLower(char c) => (uint)(c - 'a') <= 'z' - 'a';

    public static bool IsDigit(char c) => (uint)(c - '0') <= 9;

    public static bool IsLetterOrDigit(char c) => IsLetter(c) || IsDigit(c);

    /// <summary>Renders a character for an error message, escaping anything invisible or non-ASCII.</summary>
    public static string Show(char c) => c is > ' ' and < (char)0x7f ? $"'{c}'" : $"U+{(int)c:X4}";
}
