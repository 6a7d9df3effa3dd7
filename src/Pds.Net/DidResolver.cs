using System.Collections.Concurrent;
using System.Net;
using Pds.Core.Identity;
using Pds.Core.Syntax;

namespace Pds.Net;

/// <summary>
/// Resolves did:plc through the directory and did:web (host-level only, as atproto allows)
/// through https://{host}/.well-known/did.json, with a small in-memory cache. A document whose
/// id is not the DID asked for is refused.
/// </summary>
public sealed class DidResolver : IDidResolver
{
    private readonly IPlcClient _plc;
    private readonly HttpClient _http;
    private readonly DidResolverOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<Did, Entry> _cache = new();

    public DidResolver(IPlcClient plc, HttpClient http, DidResolverOptions? options = null, TimeProvider? time = null)
    {
        _plc = plc ?? throw new ArgumentNullException(nameof(plc));
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _options = options ?? new DidResolverOptions();
        _time = time ?? TimeProvider.System;
    }

    public async Task<DidDocument?> ResolveAsync(Did did, bool forceRefresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(did);
        var now = _time.GetUtcNow();
        if (!forceRefresh && _cache.TryGetValue(did, out var hit) && hit.Expires > now)
        {
            return hit.Document;
        }
        var doc = did.Method switch
        {
            "plc" => await ResolvePlcAsync(did, cancellationToken).ConfigureAwait(false),
            "web" => await ResolveWebAsync(did, cancellationToken).ConfigureAwait(false),
            _ => throw new DidResolutionException($"DID method '{did.Method}' is not supported"),
        };
        if (doc is null)
        {
            _cache.TryRemove(did, out _);
            return null;
        }
        if (doc.Id != did)
        {
            throw new DidResolutionException($"the document served for {did} is that of {doc.Id}");
        }
        Remember(did, doc, now);
        return doc;
    }

    /// <summary>Drops a cached document (e.g. on an #identity event for the DID).</summary>
    public void Invalidate(Did did) => _cache.TryRemove(did, out _);

    /// <summary>The well-known URL of a did:web, or null when atproto cannot use it (paths, ports off localhost).</summary>
    internal static Uri? WebDocumentUrl(Did did, bool allowHttpForLocalhost)
    {
        // The method-specific id is the host, with ':' in a port percent-encoded; a raw ':' starts a path.
        var id = did.Identifier;
        if (id.Contains(':', StringComparison.Ordinal))
        {
            return null;
        }
        var decoded = Uri.UnescapeDataString(id);
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        var host = colon < 0 ? decoded : decoded[..colon];
        var isLocalhost = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase);
        if (Uri.CheckHostName(host) != UriHostNameType.Dns)
        {
            return null;
        }
        var port = -1;
        if (colon >= 0 && (!isLocalhost || !int.TryParse(decoded.AsSpan(colon + 1), out port) || port is < 1 or > 65535))
        {
            return null;
        }
        var scheme = isLocalhost && allowHttpForLocalhost ? Uri.UriSchemeHttp : Uri.UriSchemeHttps;
        return new UriBuilder(scheme, host, port, "/.well-known/did.json").Uri;
    }

    private async Task<DidDocument?> ResolvePlcAsync(Did did, CancellationToken cancellationToken)
    {
        try
        {
            return await _plc.GetDocumentAsync(did, cancellationToken).ConfigureAwait(false);
        }
        catch (PlcDirectoryException e)
        {
            throw new DidResolutionException($"resolving {did} failed: {e.Message}", e);
        }
    }

    private async Task<DidDocument?> ResolveWebAsync(Did did, CancellationToken cancellationToken)
    {
        var url = WebDocumentUrl(did, _options.AllowHttpForLocalhost)
            ?? throw new DidResolutionException($"{did} is not a host-level did:web atproto can resolve");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.WebTimeout);
        try
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                return null;
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new DidResolutionException($"{url} answered HTTP {(int)response.StatusCode}");
            }
            var body = await BoundedBody.ReadAsync(response, DidDocument.MaxJsonLength, timeout.Token).ConfigureAwait(false);
            return DidDocument.Parse(body);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DidResolutionException($"{url} did not answer within {_options.WebTimeout}", e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException or DidDocumentFormatException)
        {
            throw new DidResolutionException($"resolving {did} failed: {e.Message}", e);
        }
    }

    private void Remember(Did did, DidDocument doc, DateTimeOffset now)
    {
        if (_options.CacheTtl <= TimeSpan.Zero || _options.MaxCacheEntries <= 0)
        {
            return;
        }
        if (_cache.Count >= _options.MaxCacheEntries)
        {
            foreach (var (key, entry) in _cache)
            {
                if (entry.Expires <= now)
                {
                    _cache.TryRemove(key, out _);
                }
            }
            // Still full of live entries: drop some rather than grow without bound.
            var excess = _cache.Count - _options.MaxCacheEntries + 1;
            foreach (var key in _cache.Keys.Take(Math.Max(0, excess)))
            {
                _cache.TryRemove(key, out _);
            }
        }
        _cache[did] = new Entry(doc, now + _options.CacheTtl);
    }

    private sealed record Entry(DidDocument Document, DateTimeOffset Expires);
}
