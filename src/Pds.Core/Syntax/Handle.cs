using System.Diagnostics.CodeAnalysis;

namespace Pds.Core.Syntax;

/// <summary>
/// A handle: a DNS name of at least two labels whose last label does not start with a digit
/// (which also rules out IPv4 addresses). Case-insensitive, so stored in lower case.
/// </summary>
public sealed class Handle : SyntaxString, ISyntax<Handle>
{
    public const int MaxLength = 253;

    // Special-use and reserved TLDs that resolve nowhere public; valid syntax, refused for accounts.
    private static readonly string[] DisallowedTlds =
        ["local", "arpa", "invalid", "localhost", "internal", "example", "alt", "onion"];

    private Handle(string value) : base(value)
    {
    }

    static string ISyntax<Handle>.Kind => "handle";

    /// <summary>The placeholder the protocol uses when an account's handle does not verify.</summary>
    public static Handle Invalid { get; } = new("handle.invalid");

    public string Tld => ToString()[(ToString().LastIndexOf('.') + 1)..];

    /// <summary>True for reserved TLDs (.local, .onion, ...) a PDS must not register handles under.</summary>
    public bool IsDisallowedTld => Array.IndexOf(DisallowedTlds, Tld) >= 0;

    public static Handle Parse(string s) => SyntaxParsing.Parse<Handle>(s);

    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out Handle? value) =>
        SyntaxParsing.TryParse<Handle>(s, out value, out _);

    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out Handle? value, out string error) =>
        SyntaxParsing.TryParse<Handle>(s, out value, out error);

    static bool ISyntax<Handle>.TryCreate(string s, [MaybeNullWhen(false)] out Handle value, out string error)
    {
        if (s.Length > MaxLength)
        {
            return SyntaxParsing.Fail(out value, out error, $"longer than {MaxLength} characters");
        }
        if (DomainName.CheckLabels(s, 0, s.Length, out var labels) is { } reason)
        {
            return SyntaxParsing.Fail(out value, out error, reason);
        }
        if (labels < 2)
        {
            return SyntaxParsing.Fail(out value, out error, "needs at least two labels");
        }
        if (Ascii.IsDigit(s[s.LastIndexOf('.') + 1]))
        {
            return SyntaxParsing.Fail(out value, out error, "top-level domain must not start with a digit");
        }
        value = new Handle(s.ToLowerInvariant());
        error = "";
        return true;
    }
}
