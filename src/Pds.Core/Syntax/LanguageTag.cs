using System.Diagnostics.CodeAnalysis;

namespace Pds.Core.Syntax;

/// <summary>
/// A BCP 47 language tag (Lexicon <c>language</c>), checked for RFC 5646 validity as far as
/// syntax allows: no repeated variant or extension singleton. Stricter than bare BCP 47 in one
/// respect the interop vectors require: the primary language subtag is 2-3 lower-case letters.
/// </summary>
public sealed class LanguageTag : SyntaxString, ISyntax<LanguageTag>
{
    // Irregular grandfathered tags that the langtag grammar cannot express; regular ones
    // (zh-hakka, art-lojban, ...) already parse as language plus variant.
    private static readonly string[] Irregular =
    [
        "en-GB-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak", "i-klingon", "i-lux", "i-mingo",
        "i-navajo", "i-pwn", "i-tao", "i-tay", "i-tsu", "sgn-BE-FR", "sgn-BE-NL", "sgn-CH-DE",
    ];

    private LanguageTag(string value) : base(value)
    {
    }

    static string ISyntax<LanguageTag>.Kind => "language";

    /// <summary>The primary language subtag ("x" or "i" for private-use and irregular tags).</summary>
    public string Language => ToString().Split('-')[0];

    public static LanguageTag Parse(string s) => SyntaxParsing.Parse<LanguageTag>(s);

    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out LanguageTag? value) =>
        SyntaxParsing.TryParse<LanguageTag>(s, out value, out _);

    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out LanguageTag? value, out string error) =>
        SyntaxParsing.TryParse<LanguageTag>(s, out value, out error);

    static bool ISyntax<LanguageTag>.TryCreate(string s, [MaybeNullWhen(false)] out LanguageTag value, out string error)
    {
        var irregular = Ascii.IsLower(s.Length > 0 ? s[0] : ' ')
            && Array.Exists(Irregular, t => string.Equals(t, s, StringComparison.OrdinalIgnoreCase));
        if (!irregular && Check(s.Split('-')) is { } reason)
        {
            return SyntaxParsing.Fail(out value, out error, reason);
        }
        value = new LanguageTag(s);
        error = "";
        return true;
    }

    private static string? Check(string[] subtags)
    {
        foreach (var t in subtags)
        {
            if (t.Length is 0 or > 8 || !t.All(Ascii.IsLetterOrDigit))
            {
                return "subtags must be 1 to 8 ASCII letters or digits";
            }
        }
        if (subtags[0] is "x" or "X")
        {
            return PrivateUse(subtags, 0);
        }
        if (subtags[0].Length is < 2 or > 3 || !subtags[0].All(Ascii.IsLower))
        {
            return "primary language subtag must be 2 or 3 lower-case letters";
        }
        var i = 1;
        for (var n = 0; n < 3 && i < subtags.Length && Is(subtags[i], 3, 3, Ascii.IsLetter); n++)
        {
            i++; // extlang
        }
        i += i < subtags.Length && Is(subtags[i], 4, 4, Ascii.IsLetter) ? 1 : 0; // script
        i += i < subtags.Length && (Is(subtags[i], 2, 2, Ascii.IsLetter) || Is(subtags[i], 3, 3, Ascii.IsDigit)) ? 1 : 0; // region
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (; i < subtags.Length && IsVariant(subtags[i]); i++)
        {
            if (!seen.Add(subtags[i]))
            {
                return $"variant \"{subtags[i]}\" repeated";
            }
        }
        for (; i < subtags.Length && subtags[i].Length == 1 && subtags[i] is not ("x" or "X"); )
        {
            if (!seen.Add(subtags[i]))
            {
                return $"extension singleton '{subtags[i]}' repeated";
            }
            var start = ++i;
            while (i < subtags.Length && subtags[i].Length >= 2)
            {
                i++;
            }
            if (i == start)
            {
                return $"extension '{subtags[start - 1]}' needs at least one subtag of 2 to 8 characters";
            }
        }
        if (i == subtags.Length)
        {
            return null;
        }
        return subtags[i] is "x" or "X" ? PrivateUse(subtags, i) : $"subtag \"{subtags[i]}\" is out of place";
    }

    private static string? PrivateUse(string[] subtags, int x) =>
        x + 1 < subtags.Length ? null : "private use 'x' needs at least one subtag";

    private static bool IsVariant(string t) =>
        t.Length is >= 5 and <= 8 || (t.Length == 4 && Ascii.IsDigit(t[0]));

    private static bool Is(string t, int min, int max, Func<char, bool> charClass) =>
        t.Length >= min && t.Length <= max && t.All(charClass);
}
