using System.Globalization;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Pds.Azure.Storage;

/// <summary>
/// Shared Key signing for the Blob and Queue services (version 2009-09-19 and later). Added as a
/// per-retry policy, so every attempt gets a fresh <c>x-ms-date</c> and signature.
/// </summary>
public sealed class SharedKeyPolicy : HttpPipelineSynchronousPolicy
{
    // The standard headers in the order of their slots in the string to sign.
    private static readonly string[] StandardHeaders =
    [
        "Content-Encoding", "Content-Language", "Content-Length", "Content-MD5", "Content-Type", "Date",
        "If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range",
    ];

    private readonly StorageSharedKey _key;
    private readonly TimeProvider _clock;

    public SharedKeyPolicy(string accountName, string accountKey)
        : this(new StorageSharedKey(accountName, accountKey), TimeProvider.System)
    {
    }

    internal SharedKeyPolicy(StorageSharedKey key, TimeProvider clock)
    {
        _key = key;
        _clock = clock;
    }

    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        request.Headers.SetValue("x-ms-date", _clock.GetUtcNow().ToString("r", CultureInfo.InvariantCulture));
        long? length = request.Content is { } content && content.TryComputeLength(out var n) ? n : null;
        var headers = request.Headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value));
        var toSign = BuildStringToSign(_key.AccountName, request.Method.Method, request.Uri.ToUri(), headers, length);
        request.Headers.SetValue("Authorization", $"SharedKey {_key.AccountName}:{_key.Sign(toSign)}");
    }

    /// <summary>
    /// The Shared Key string to sign: verb, the eleven standard header slots (Content-Length empty
    /// when 0 or absent), the canonicalized <c>x-ms-*</c> headers and the canonicalized resource.
    /// </summary>
    /// <param name="uri">The request URL exactly as sent (its path stays escaped).</param>
    /// <param name="headers">The request headers; names are matched case-insensitively.</param>
    /// <param name="contentLength">The body length that goes on the wire, when there is a body.</param>
    public static string BuildStringToSign(
        string accountName, string method, Uri uri,
        IEnumerable<KeyValuePair<string, string>> headers, long? contentLength)
    {
        var all = headers.ToList();
        var sb = new StringBuilder(method.ToUpperInvariant()).Append('\n');
        foreach (var name in StandardHeaders)
        {
            var value = name == "Content-Length"
                ? (contentLength is > 0 ? contentLength.Value.ToString(CultureInfo.InvariantCulture) : "")
                : Join(all, name);
            sb.Append(value).Append('\n');
        }
        AppendCanonicalHeaders(sb, all);
        AppendCanonicalResource(sb, accountName, uri);
        return sb.ToString();
    }

    private static string Join(List<KeyValuePair<string, string>> headers, string name) =>
        string.Join(',', headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value));

    private static void AppendCanonicalHeaders(StringBuilder sb, List<KeyValuePair<string, string>> headers)
    {
        var msHeaders = headers
            .Where(h => h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            .GroupBy(h => h.Key.ToLowerInvariant())
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in msHeaders)
        {
            sb.Append(group.Key).Append(':').AppendJoin(',', group.Select(h => h.Value.Trim())).Append('\n');
        }
    }

    private static void AppendCanonicalResource(StringBuilder sb, string accountName, Uri uri)
    {
        var path = uri.AbsolutePath.Length == 0 ? "/" : uri.AbsolutePath;
        sb.Append('/').Append(accountName).Append(path);
        var parameters = StorageUrl.ParseQuery(uri.Query)
            .GroupBy(p => p.Key.ToLowerInvariant())
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in parameters)
        {
            var values = group.Select(p => p.Value).OrderBy(v => v, StringComparer.Ordinal);
            sb.Append('\n').Append(group.Key).Append(':').AppendJoin(',', values);
        }
    }
}
