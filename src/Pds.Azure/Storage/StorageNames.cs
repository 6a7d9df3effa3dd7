using System.Text.RegularExpressions;

namespace Pds.Azure.Storage;

/// <summary>Name rules of tables, containers and queues, checked before a request is made.</summary>
internal static partial class StorageNames
{
    public static string Table(string name) =>
        TablePattern().IsMatch(name) ? name : throw new ArgumentException($"'{name}' is not a table name: a letter, then 2-62 letters or digits", nameof(name));

    public static string Container(string name) => Lowercase(name, "container");

    public static string Queue(string name) => Lowercase(name, "queue");

    private static string Lowercase(string name, string kind) =>
        LowercasePattern().IsMatch(name) && !name.Contains("--", StringComparison.Ordinal)
            ? name
            : throw new ArgumentException($"'{name}' is not a {kind} name: 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit", nameof(name));

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TablePattern();

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{1,61})[a-z0-9]$")]
    private static partial Regex LowercasePattern();
}
