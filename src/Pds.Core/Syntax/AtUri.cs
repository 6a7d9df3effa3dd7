using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Pds.Core.Syntax;

/// <summary>
/// An AT-URI in the restricted form Lexicon <c>at-uri</c> allows:
/// <c>at://&lt;did-or-handle&gt;[/&lt;collection nsid&gt;[/&lt;record key&gt;]]</c>, with no query,
/// fragment or trailing slash. The string form is canonical (handles in lower case).
/// </summary>
public sealed class AtUri : SyntaxString, ISyntax<AtUri>
{
    public const int MaxLength = 8 * 1024;
    private const string Scheme = "at://";

    private AtUri(AtIdentifier authority, Nsid? collection, RecordKey? recordKey)
        : base(Format(authority, collection, recordKey))
    {
        Authority = authority;
        Collection = collection;
        RecordKey = recordKey;
    }

    static string ISyntax<AtUri>.Kind => "at-uri";

    public AtIdentifier Authority { get; }

    public Nsid? Collection { get; }

    public RecordKey? RecordKey { get; }

    public static AtUri Create(AtIdentifier authority, Nsid? collection = null, RecordKey? recordKey = null)
    {
        ArgumentNullException.ThrowIfNull(authority);
        if (recordKey is not null && collection is null)
        {
            throw new ArgumentException("a record key needs a collection", nameof(recordKey));
        }
        return new AtUri(authority, collection, recordKey);
    }

    public static AtUri Parse(string s) => SyntaxParsing.Parse<AtUri>(s);

    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out AtUri? value) =>
        SyntaxParsing.TryParse<AtUri>(s, out value, out _);

    public static bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out AtUri? value, out string error) =>
        SyntaxParsing.TryParse<AtUri>(s, out value, out error);

    static bool ISyntax<AtUri>.TryCreate(string s, [MaybeNullWhen(false)] out AtUri value, out string error)
    {
        if (s.Length > MaxLength)
        {
            return SyntaxParsing.Fail(out value, out error, $"longer than {MaxLength} characters");
        }
        if (!s.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return SyntaxParsing.Fail(out value, out error, "must start with lower-case \"at://\"");
        }
        if (s.AsSpan(Scheme.Length).IndexOfAny('?', '#') >= 0)
        {
            return SyntaxParsing.Fail(out value, out error, "query and fragment are not allowed");
        }
        var parts = s[Scheme.Length..].Split('/');
        if (parts.Length > 3)
        {
            return SyntaxParsing.Fail(out value, out error, "path may only be /collection/record-key, with no trailing slash");
        }
        if (Array.IndexOf(parts, "") >= 0)
        {
            return SyntaxParsing.Fail(out value, out error, "empty authority or path segment (double or trailing slash)");
        }
        if (!AtIdentifier.TryParse(parts[0], out var authority, out error))
        {
            return SyntaxParsing.Fail(out value, out error, "authority: " + error);
        }
        Nsid? collection = null;
        if (parts.Length > 1 && !Nsid.TryParse(parts[1], out collection, out error))
        {
            return SyntaxParsing.Fail(out value, out error, "collection: " + error);
        }
        RecordKey? recordKey = null;
        if (parts.Length > 2 && !RecordKey.TryParse(parts[2], out recordKey, out error))
        {
            return SyntaxParsing.Fail(out value, out error, "record key: " + error);
        }
        value = new AtUri(authority, collection, recordKey);
        return true;
    }

    private static string Format(AtIdentifier authority, Nsid? collection, RecordKey? recordKey)
    {
        var sb = new StringBuilder(Scheme).Append(authority);
        if (collection is not null)
        {
            sb.Append('/').Append(collection);
        }
        if (recordKey is not null)
        {
            sb.Append('/').Append(recordKey);
        }
        return sb.ToString();
    }
}
