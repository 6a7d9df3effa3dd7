using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Pds.Azure.Storage;

/// <summary>The two Shared Key schemes the Table service accepts.</summary>
public enum TableSharedKeyScheme
{
    /// <summary>Date + resource; what Azure.Data.Tables sends.</summary>
    SharedKeyLite,

    /// <summary>Verb, Content-MD5, Content-Type, date + resource.</summary>
    SharedKey,
}

/// <summary>
/// Shared Key (or Shared Key Lite) signing for the Table service. Unlike blob/queue there are no
/// canonicalized x-ms headers and only <c>comp</c> from the query is signed. Per-retry, like
/// <see cref="SharedKeyPolicy"/>.
/// </summary>
public sealed class TableSharedKeyPolicy : HttpPipelineSynchronousPolicy
{
    private readonly StorageSharedKey _key;
    private readonly TableSharedKeyScheme _scheme;
    private readonly TimeProvider _clock;

    public TableSharedKeyPolicy(string accountName, string accountKey, TableSharedKeyScheme scheme = TableSharedKeyScheme.SharedKeyLite)
        : this(new StorageSharedKey(accountName, accountKey), scheme, TimeProvider.System)
    {
    }

    internal TableSharedKeyPolicy(StorageSharedKey key, TableSharedKeyScheme scheme, TimeProvider clock)
    {
        _key = key;
        _scheme = scheme;
        _clock = clock;
    }

    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        var date = _clock.GetUtcNow().ToString("r", CultureInfo.InvariantCulture);
        request.Headers.SetValue("x-ms-date", date);
        request.Headers.TryGetValue("Content-Type", out var contentType);
        request.Headers.TryGetValue("Content-MD5", out var contentMd5);
        var toSign = BuildStringToSign(_scheme, _key.AccountName, request.Method.Method, request.Uri.ToUri(), contentType, contentMd5, date);
        var schemeName = _scheme == TableSharedKeyScheme.SharedKey ? "SharedKey" : "SharedKeyLite";
        request.Headers.SetValue("Authorization", $"{schemeName} {_key.AccountName}:{_key.Sign(toSign)}");
    }

    /// <summary>
    /// SharedKey: <c>VERB\nContent-MD5\nContent-Type\nDate\nResource</c>; SharedKeyLite:
    /// <c>Date\nResource</c>. Resource = "/" + account + escaped path, plus "?comp=value" when the
    /// query has <c>comp</c> (no other parameter is signed).
    /// </summary>
    public static string BuildStringToSign(
        TableSharedKeyScheme scheme, string accountName, string method, Uri uri,
        string? contentType, string? contentMd5, string date)
    {
        var path = uri.AbsolutePath.Length == 0 ? "/" : uri.AbsolutePath;
        var resource = "/" + accountName + path;
        foreach (var (name, value) in StorageUrl.ParseQuery(uri.Query))
        {
            if (string.Equals(name, "comp", StringComparison.OrdinalIgnoreCase))
            {
                resource += "?comp=" + value;
                break;
            }
        }
        return scheme == TableSharedKeyScheme.SharedKey
            ? $"{method.ToUpperInvariant()}\n{contentMd5}\n{contentType}\n{date}\n{resource}"
            : $"{date}\n{resource}";
    }
}
