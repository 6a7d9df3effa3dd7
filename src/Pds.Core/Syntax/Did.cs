using System.Diagnostics.CodeAnalysis;

namespace Pds.Core.Syntax;

/// <summary>
/// A DID in generic syntax: <c>did:&lt;method&gt;:&lt;identifier&gt;</c>. Method-specific rules
/// (did:plc length, did:web hostnames) belong to identity resolution, not to syntax.
/// </summary>
public sealed class Did : SyntaxString, ISyntax<Did>
{
    public const int MaxLength = 2048;
    private const string Prefix = "did:";

    private readonly int _methodEnd;

    private Did(string value, int methodEnd) : base(value) => _methodEnd = methodEnd;

    static string ISyntax<Did>.Kind => "did";

    public string Method => ToString()[Prefix.Length.._methodEnd];

    public string Identifier => ToString()[(_methodEnd + 1)..];

    public bool IsPlc => Method == "plc";

    public bool IsWeb => Method == "web";

    public static Did Parse(string s) => SyntaxParsing.Parse<Did>(s);

    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out Did? value) =>
        SyntaxParsing.TryParse<Did>(s, out value, out _);

    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out Did? value, out string error) =>
        SyntaxParsing.TryParse<Did>(s, out value, out error);

    static bool ISyntax<Did>.TryCreate(string s, [MaybeNullWhen(false)] out Did value, out string error)
    {
        if (s.Length > MaxLength)
        {
            return SyntaxParsing.Fail(out value, out error, $"longer than {MaxLength} characters");
        }
        if (!s.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return SyntaxParsing.Fail(out value, out error, "must start with lower-case \"did:\"");
        }
        var i = Prefix.Length;
        while (i < s.Length && Ascii.IsLower(s[i]))
        {
            i++;
        }
        if (i == Prefix.Length || i == s.Length || s[i] != ':')
        {
            return SyntaxParsing.Fail(out value, out error, "method must be lower-case letters followed by ':'");
        }
        var methodEnd = i;
        if (methodEnd + 1 == s.Length)
        {
            return SyntaxParsing.Fail(out value, out error, "identifier is empty");
        }
        for (i = methodEnd + 1; i < s.Length; i++)
        {
            var c = s[i];
            if (!Ascii.IsLetterOrDigit(c) && c is not ('.' or '_' or ':' or '%' or '-'))
            {
                return SyntaxParsing.Fail(out value, out error, $"character {Ascii.Show(c)} not allowed in identifier");
            }
        }
        if (s[^1] is ':' or '%')
        {
            return SyntaxParsing.Fail(out value, out error, "identifier must not end with ':' or '%'");
        }
        value = new Did(s, methodEnd);
        error = "";
        return true;
    }
}
