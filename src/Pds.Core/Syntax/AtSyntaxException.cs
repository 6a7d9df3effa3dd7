namespace Pds.Core.Syntax;

/// <summary>
/// The one exception for malformed identifiers and string formats. <see cref="Kind"/> is the
/// Lexicon format name ("did", "handle", "at-uri", ...) so callers can report which field failed.
/// </summary>
public sealed class AtSyntaxException(string kind, string reason)
    : FormatException($"invalid {kind}: {reason}")
{
    public string Kind { get; } = kind;

    /// <summary>The reason alone, without the kind prefix.</summary>
    public string Reason { get; } = reason;
}
