using System.Diagnostics.CodeAnalysis;

namespace Pds.Core.Syntax;

/// <summary>
/// A namespaced identifier such as <c>app.bsky.feed.post</c>: a reversed domain authority plus
/// a name. Kept exactly as written; the name part is case-sensitive.
/// </summary>
public sealed class Nsid : SyntaxString, ISyntax<Nsid>
{
    // 253 (a domain) + '.' + 63 (the name); the authority alone is not capped at 253, per the interop list.
    public const int MaxLength = 317;

    private readonly int _nameStart;

    private Nsid(string value, int nameStart) : base(value) => _nameStart = nameStart;

    static string ISyntax<Nsid>.Kind => "nsid";

    /// <summary>The final segment, e.g. <c>post</c>.</summary>
    public string Name => ToString()[_nameStart..];

    /// <summary>The authority in domain order, e.g. <c>feed.bsky.app</c>; the name lexicon resolution looks up.</summary>
    public string Authority
    {
        get
        {
            var segments = ToString()[..(_nameStart - 1)].Split('.');
            Array.Reverse(segments);
            return string.Join('.', segments);
        }
    }

    public static Nsid Parse(string s) => SyntaxParsing.Parse<Nsid>(s);

    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out Nsid? value) =>
        SyntaxParsing.TryParse<Nsid>(s, out value, out _);

    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out Nsid? value, out string error) =>
        SyntaxParsing.TryParse<Nsid>(s, out value, out error);

    static bool ISyntax<Nsid>.TryCreate(string s, [MaybeNullWhen(false)] out Nsid value, out string error)
    {
        if (s.Length > MaxLength)
        {
            return SyntaxParsing.Fail(out value, out error, $"longer than {MaxLength} characters");
        }
        var lastDot = s.LastIndexOf('.');
        if (lastDot < 0)
        {
            return SyntaxParsing.Fail(out value, out error, "needs at least three segments");
        }
        if (DomainName.CheckLabels(s, 0, lastDot, out var labels) is { } reason)
        {
            return SyntaxParsing.Fail(out value, out error, reason);
        }
        if (labels < 2)
        {
            return SyntaxParsing.Fail(out value, out error, "needs at least three segments");
        }
        if (Ascii.IsDigit(s[0]))
        {
            return SyntaxParsing.Fail(out value, out error, "first segment must not start with a digit");
        }
        if (CheckName(s, lastDot + 1) is { } nameReason)
        {
            return SyntaxParsing.Fail(out value, out error, nameReason);
        }
        value = new Nsid(s, lastDot + 1);
        error = "";
        return true;
    }

    private static string? CheckName(string s, int start)
    {
        var length = s.Length - start;
        if (length is 0 or > DomainName.MaxLabelLength)
        {
            return $"name must be 1 to {DomainName.MaxLabelLength} characters";
        }
        if (!Ascii.IsLetter(s[start]))
        {
            return "name must start with a letter";
        }
        for (var i = start + 1; i < s.Length; i++)
        {
            if (!Ascii.IsLetterOrDigit(s[i]))
            {
                return $"character {Ascii.Show(s[i])} not allowed in name";
            }
        }
        return null;
    }
}
