using System.Diagnostics.CodeAnalysis;

namespace Pds.Core.Syntax;

/// <summary>
/// A DID or a handle, as accepted wherever an account may be named either way (the Lexicon
/// <c>at-identifier</c> format, AT-URI authorities). A string starting "did:" is read as a DID.
/// </summary>
public sealed class AtIdentifier : SyntaxString, ISyntax<AtIdentifier>
{
    private AtIdentifier(Did did) : base(did.ToString()) => Did = did;

    private AtIdentifier(Handle handle) : base(handle.ToString()) => Handle = handle;

    static string ISyntax<AtIdentifier>.Kind => "at-identifier";

    public Did? Did { get; }

    public Handle? Handle { get; }

    [MemberNotNullWhen(true, nameof(Did))]
    [MemberNotNullWhen(false, nameof(Handle))]
    public bool IsDid => Did is not null;

    public static implicit operator AtIdentifier(Did did) => new(did);

    public static implicit operator AtIdentifier(Handle handle) => new(handle);

    public static AtIdentifier Parse(string s) => SyntaxParsing.Parse<AtIdentifier>(s);

    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out AtIdentifier? value) =>
        SyntaxParsing.TryParse<AtIdentifier>(s, out value, out _);

    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out AtIdentifier? value, out string error) =>
        SyntaxParsing.TryParse<AtIdentifier>(s, out value, out error);

    static bool ISyntax<AtIdentifier>.TryCreate(string s, [MaybeNullWhen(false)] out AtIdentifier value, out string error)
    {
        if (s.StartsWith("did:", StringComparison.Ordinal))
        {
            value = Did.TryParse(s, out var did, out error) ? new AtIdentifier(did) : null;
            error = value is null ? "DID " + error : "";
        }
        else
        {
            value = Handle.TryParse(s, out var handle, out error) ? new AtIdentifier(handle) : null;
            error = value is null ? "handle " + error : "";
        }
        return value is not null;
    }
}
