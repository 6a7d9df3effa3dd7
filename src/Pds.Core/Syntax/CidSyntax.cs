namespace Pds.Core.Syntax;

/// <summary>
/// The loose Lexicon <c>cid</c> format check: a plausible multibase string, not a decode.
/// Use <see cref="Pds.Core.Ipld.Cid"/> where the CID's bytes matter.
/// </summary>
public static class CidSyntax
{
    public const string Kind = "cid";
    public const int MinLength = 8;
    public const int MaxLength = 256;

    public static bool IsValid(string? s) => IsValid(s, out _);

    public static bool IsValid(string? s, out string error)
    {
        error = s switch
        {
            null => "value is null",
            { Length: < MinLength or > MaxLength } => $"must be {MinLength} to {MaxLength} characters",
            // Legacy CIDv0 (base58 sha2-256, always "Qm...") is not used by atproto.
            _ when s.StartsWith("Qm", StringComparison.Ordinal) => "CIDv0 is not allowed",
            _ when !s.All(c => Ascii.IsLetterOrDigit(c) || c is '+' or '=') => "only letters, digits, '+' and '=' are allowed",
            _ => "",
        };
        return error.Length == 0;
    }
}
