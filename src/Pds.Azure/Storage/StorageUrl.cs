namespace Pds.Azure.Storage;

internal static class StorageUrl
{
    /// <summary>The endpoint (with or without a trailing slash) + "/" + an already escaped relative path and query.</summary>
    public static Uri Combine(Uri endpoint, string escapedRelative) =>
        new(endpoint.AbsoluteUri.TrimEnd('/') + "/" + escapedRelative);

    /// <summary>Escapes one path segment or query value (RFC 3986 unreserved characters stay as they are).</summary>
    public static string Escape(string value) => Uri.EscapeDataString(value);

    /// <summary>Escapes a blob name, keeping '/' so virtual folders stay readable in the URL.</summary>
    public static string EscapeBlobName(string name) =>
        string.Join('/', name.Split('/').Select(Uri.EscapeDataString));

    /// <summary>Splits a raw query ("?a=1&amp;b=x%20y") into decoded name/value pairs in order.</summary>
    public static IEnumerable<KeyValuePair<string, string>> ParseQuery(string query)
    {
        var q = query.StartsWith('?') ? query[1..] : query;
        foreach (var part in q.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            yield return new(Uri.UnescapeDataString(name), Uri.UnescapeDataString(value));
        }
    }
}
