using System.Net;
using System.Text;
using Pds.Core.Identity;
using Pds.Core.Syntax;

namespace Pds.Net;

/// <summary>
/// Resolves a handle the two ways the handle spec defines, started together: DNS TXT
/// <c>_atproto.{handle}</c> holding exactly one <c>did=...</c> value, and
/// <c>https://{handle}/.well-known/atproto-did</c> whose body is the DID. DNS wins when it gives
/// an answer; otherwise the HTTPS result stands. Failures of either method are just misses.
/// </summary>
public sealed class HandleResolver : IHandleResolver
{
    public const string DnsPrefix = "_atproto.";
    public const string TxtPrefix = "did=";
    public const string WellKnownPath = "/.well-known/atproto-did";
    /// <summary>A DID is at most 2048 characters; leave room for whitespace around it.</summary>
    public const int MaxWellKnownBytes = Did.MaxLength + 256;

    private readonly IDnsTxtClient _dns;
    private readonly HttpClient _http;
    private readonly HandleResolverOptions _options;

    public HandleResolver(IDnsTxtClient dns, HttpClient http, HandleResolverOptions? options = null)
    {
        _dns = dns ?? throw new ArgumentNullException(nameof(dns));
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _options = options ?? new HandleResolverOptions();
    }

    public async Task<Did?> ResolveAsync(Handle handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var dnsTask = ResolveDnsAsync(handle, both.Token);
        var httpTask = ResolveHttpAsync(handle, both.Token);
        var did = await dnsTask.ConfigureAwait(false);
        if (did is not null)
        {
            await both.CancelAsync().ConfigureAwait(false);
        }
        var viaHttp = await httpTask.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return did ?? viaHttp;
    }

    /// <summary>The DID of the one <c>did=</c> TXT record; null for none, several, or any failure.</summary>
    public async Task<Did?> ResolveDnsAsync(Handle handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        try
        {
            var response = await _dns.QueryTxtAsync(DnsPrefix + handle, cancellationToken).ConfigureAwait(false);
            if (response.ResponseCode != DnsResponseCode.NoError || response.IsTruncated)
            {
                return null;
            }
            var values = response.Txt
                .Select(r => r.Text)
                .Where(t => t.StartsWith(TxtPrefix, StringComparison.Ordinal))
                .Take(2)
                .ToList();
            return values.Count == 1 && Did.TryParse(values[0][TxtPrefix.Length..].Trim(), out var did) ? did : null;
        }
        catch (Exception)
        {
            // Timeout, unreachable server, malformed answer, or cancelled because HTTPS won: a miss.
            return null;
        }
    }

    /// <summary>The DID served at the well-known path; null for any failure or a body that is not a DID.</summary>
    public async Task<Did?> ResolveHttpAsync(Handle handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.HttpTimeout);
        try
        {
            using var response = await _http.GetAsync(WellKnownUrl(handle), HttpCompletionOption.ResponseHeadersRead, timeout.Token)
                .ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }
            var body = await BoundedBody.ReadAsync(response, MaxWellKnownBytes, timeout.Token).ConfigureAwait(false);
            var text = new UTF8Encoding(false, true).GetString(body).Trim();
            return Did.TryParse(text, out var did) ? did : null;
        }
        catch (Exception)
        {
            // Unreachable host, TLS failure, timeout, oversized or non-UTF-8 body: all misses.
            return null;
        }
    }

    internal Uri WellKnownUrl(Handle handle)
    {
        var scheme = _options.AllowHttpForLocalhost && handle.Tld == "localhost" ? Uri.UriSchemeHttp : Uri.UriSchemeHttps;
        return new Uri($"{scheme}://{handle}{WellKnownPath}");
    }
}
