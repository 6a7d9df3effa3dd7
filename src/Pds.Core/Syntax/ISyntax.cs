using System.Diagnostics.CodeAnalysis;

namespace Pds.Core.Syntax;

/// <summary>
/// What each identifier type supplies (its format name and a non-throwing scanner), so the
/// Parse/TryParse plumbing is written once in <see cref="SyntaxParsing"/>.
/// </summary>
internal interface ISyntax<TSelf> where TSelf : ISyntax<TSelf>
{
    static abstract string Kind { get; }

    /// <summary>Validates <paramref name="s"/>; never throws. <paramref name="error"/> is "" on success.</summary>
    static abstract bool TryCreate(string s, [MaybeNullWhen(false)] out TSelf value, out string error);
}

internal static class SyntaxParsing
{
    public static T Parse<T>(string s) where T : ISyntax<T>
    {
        ArgumentNullException.ThrowIfNull(s);
        return T.TryCreate(s, out var value, out var error) ? value : throw new AtSyntaxException(T.Kind, error);
    }

    public static bool TryParse<T>(string? s, [MaybeNullWhen(false)] out T value, out string error) where T : ISyntax<T>
    {
        if (s is null)
        {
            value = default;
            error = "value is null";
            return false;
        }
        return T.TryCreate(s, out value, out error);
    }

    /// <summary>Fails a scanner with a reason; keeps each check to one line.</summary>
    public static bool Fail<T>(out T? value, out string error, string reason)
    {
        value = default;
        error = reason;
        return false;
    }
}
