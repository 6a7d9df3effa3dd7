using System.Text.RegularExpressions;
using Azure;
using Azure.Core;

namespace Pds.Azure.Storage;

/// <summary>
/// User metadata as <c>x-ms-meta-{name}</c> headers. Checked before sending, because the service
/// rejects names that are not C# identifiers and an HTTP header cannot carry every string.
/// </summary>
internal static partial class BlobMetadata
{
    private const string Prefix = "x-ms-meta-";

    public static void Apply(RequestHeaders headers, IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return;
        }
        foreach (var (name, value) in metadata)
        {
            if (!NamePattern().IsMatch(name))
            {
                throw new ArgumentException($"metadata name '{name}' is not a C# identifier", nameof(metadata));
            }
            if (value.Length == 0 || !ValuePattern().IsMatch(value))
            {
                throw new ArgumentException($"metadata '{name}' must be non-empty printable ASCII without surrounding spaces", nameof(metadata));
            }
            headers.SetValue(Prefix + name, value);
        }
    }

    public static IReadOnlyDictionary<string, string> Read(Response response)
    {
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in response.Headers)
        {
            if (header.Name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                metadata[header.Name[Prefix.Length..]] = header.Value;
            }
        }
        return metadata;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,254}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$")]
    private static partial Regex ValuePattern();
}
