using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Pds.Functions.Hosting;

namespace Pds.Functions.Relay;

/// <summary>
/// The relay's reverse proxy: every request but subscribeRepos goes to PDS_FORWARD_TO as it came
/// (method, raw path and query, headers, body), with the shared secret and X-Forwarded-For/-Proto/-Host
/// added, and the answer comes back as it was (status, headers, body). Bodies stream both ways:
/// neither a 100 MB upload nor a large getRepo is held in memory. Hop-by-hop headers stay behind.
/// </summary>
public sealed class RelayForwarder : IDisposable
{
    /// <summary>Carries PDS_FORWARD_SECRET from the relay to the api process.</summary>
    public const string SecretHeader = "X-Pds-Forward-Secret";

    private const int BufferSize = 64 * 1024;

    // Set by the relay itself; whatever a client sent under these names is dropped.
    private static readonly HashSet<string> Replaced = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Expect", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "Forwarded", SecretHeader,
    };

    private readonly HttpMessageInvoker _http;
    private readonly string _target;
    private readonly string _secret;
    private readonly ILogger<RelayForwarder> _logger;

    public RelayForwarder(PdsConfig config, ILogger<RelayForwarder> logger)
        : this(config, logger, NewHandler())
    {
    }

    internal RelayForwarder(PdsConfig config, ILogger<RelayForwarder> logger, HttpMessageHandler handler)
    {
        _target = (config.ForwardTo ?? throw new ArgumentException("PDS_FORWARD_TO is not set", nameof(config))).AbsoluteUri.TrimEnd('/');
        _secret = config.ForwardSecret ?? throw new ArgumentException("PDS_FORWARD_SECRET is not set", nameof(config));
        _logger = logger;
        // An invoker, not an HttpClient: no overall timeout (uploads may take minutes) and never a buffered response.
        _http = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public async Task ForwardAsync(HttpContext http)
    {
        var aborted = http.RequestAborted;
        using var request = BuildRequest(http);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, aborted);
        }
        catch (Exception) when (aborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or InvalidOperationException)
        {
            _logger.LogWarning("forwarding {Method} {Path} to {Target} failed: {Error}: {Message}", http.Request.Method, http.Request.Path, _target, e.GetType().Name, e.Message);
            await BadGatewayAsync(http, e is OperationCanceledException);
            return;
        }
        using (response)
        {
            http.Response.StatusCode = (int)response.StatusCode;
            CopyResponseHeaders(response, http.Response);
            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(aborted);
                await body.CopyToAsync(http.Response.Body, BufferSize, aborted);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                if (!aborted.IsCancellationRequested)
                {
                    _logger.LogWarning("forwarded response for {Path} broke off: {Message}", http.Request.Path, e.Message);
                }
                // The status line is gone already; cutting the connection is the only way to say the body is incomplete.
                http.Abort();
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private static SocketsHttpHandler NewHandler() => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(15),
        // The Function App's address can change behind its name; do not hold connections forever.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    private HttpRequestMessage BuildRequest(HttpContext http)
    {
        var incoming = http.Request;
        // The raw target keeps the query exactly as sent (repeated keys, escaping); PathBase is not used here.
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var pathAndQuery = raw is { Length: > 0 } && raw[0] == '/' ? raw : incoming.Path.ToUriComponent() + incoming.QueryString.ToUriComponent();
        var request = new HttpRequestMessage(new HttpMethod(incoming.Method), new Uri(_target + pathAndQuery));

        var bodyFeature = http.Features.Get<IHttpRequestBodyDetectionFeature>();
        if (bodyFeature?.CanHaveBody ?? incoming.ContentLength > 0)
        {
            request.Content = new RequestBodyContent(incoming.Body, incoming.ContentLength);
        }
        else if (incoming.ContentLength == 0)
        {
            // Keep an explicit empty body: some XRPC procedures are POSTs without one.
            request.Content = new ByteArrayContent([]);
        }

        var connectionScoped = HopByHop.Listed(incoming.Headers.Connection);
        foreach (var (name, values) in incoming.Headers)
        {
            if (HopByHop.Is(name) || connectionScoped.Contains(name) || Replaced.Contains(name)
                || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values!))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values!);
            }
        }

        var (client, scheme) = EdgeClient.Describe(http);
        if (client is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", client);
        }
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", scheme);
        if (incoming.Host.HasValue)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-Host", incoming.Host.Value);
        }
        request.Headers.TryAddWithoutValidation(SecretHeader, _secret);
        return request;
    }

    private static void CopyResponseHeaders(HttpResponseMessage response, HttpResponse outgoing)
    {
        var connectionScoped = HopByHop.Listed(response.Headers.Connection);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (HopByHop.Is(name) || connectionScoped.Contains(name))
            {
                continue;
            }
            outgoing.Headers[name] = values.ToArray();
        }
    }

    private static Task BadGatewayAsync(HttpContext http, bool timedOut)
    {
        if (http.Response.HasStarted)
        {
            http.Abort();
            return Task.CompletedTask;
        }
        http.Response.StatusCode = timedOut ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway;
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync(new JsonObject
        {
            ["error"] = "UpstreamFailure",
            ["message"] = timedOut ? "the API service did not answer in time" : "the API service could not be reached",
        }.ToJsonString());
    }
}
