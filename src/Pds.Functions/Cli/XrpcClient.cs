using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Cli;

/// <summary>
/// Calls XRPC methods on one service (the PDS, or a relay) and turns every way that can go wrong
/// into an <see cref="OperatorException"/> with a one-line reason. Never puts a credential in a message.
/// </summary>
/// <param name="baseUrl">The service root, ending in '/'.</param>
/// <param name="service">What to call the service in messages: "PDS" or "relay".</param>
/// <param name="adminPassword">Supplies the admin password for calls that need it.</param>
internal sealed class XrpcClient(Uri baseUrl, string service, Func<string>? adminPassword = null) : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http = new() { Timeout = Timeout };

    public Uri BaseUrl => baseUrl;

    /// <summary>A client for the running PDS the settings point at.</summary>
    public static XrpcClient ForPds(OperatorSettings settings) => new(settings.Server, "PDS", settings.AdminPassword);

    /// <summary>GET /xrpc/<paramref name="nsid"/>; a parameter appears once per value.</summary>
    public Task<JsonObject> QueryAsync(string nsid, IEnumerable<KeyValuePair<string, string>> parameters, bool admin, CancellationToken ct)
    {
        var query = string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        return SendAsync(new HttpRequestMessage(HttpMethod.Get, Url(nsid) + (query.Length > 0 ? "?" + query : "")), nsid, admin, ct);
    }

    /// <summary>POST /xrpc/<paramref name="nsid"/> with a JSON body. An empty success body reads as {}.</summary>
    public Task<JsonObject> ProcedureAsync(string nsid, JsonObject body, bool admin, CancellationToken ct) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, Url(nsid))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        }, nsid, admin, ct);

    /// <summary>A string field of a successful answer, which the lexicon says is there.</summary>
    public static string Required(JsonObject answer, string nsid, string field) =>
        answer[field] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw new OperatorException($"the answer to {nsid} has no '{field}'");

    public void Dispose() => _http.Dispose();

    private string Url(string nsid) => new Uri(baseUrl, "xrpc/" + nsid).ToString();

    private async Task<JsonObject> SendAsync(HttpRequestMessage request, string nsid, bool admin, CancellationToken ct)
    {
        using (request)
        {
            if (admin)
            {
                request.Headers.Authorization = AuthenticationHeaderValue.Parse(
                    AdminAuth.Header((adminPassword ?? throw new InvalidOperationException("no admin password source"))()));
            }
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            string text;
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, ct).ConfigureAwait(false);
                text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw Unreachable(Reason(e));
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                throw Unreachable($"no answer within {Timeout.TotalSeconds:0} seconds");
            }
            using (response)
            {
                var json = Parse(text);
                if (response.IsSuccessStatusCode)
                {
                    return text.Trim().Length == 0 ? [] : json ?? throw new OperatorException(
                        $"the {service} at {baseUrl} answered {nsid} with something that is not a JSON object");
                }
                if (admin && response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
                {
                    throw new OperatorException("the admin password was rejected");
                }
                if (json?["error"] is JsonValue error && error.TryGetValue<string>(out var name))
                {
                    var message = json["message"] is JsonValue m && m.TryGetValue<string>(out var said) ? said : "(no message)";
                    throw new OperatorException($"error {name}: {OneLine(message)}");
                }
                throw new OperatorException(
                    $"the {service} at {baseUrl} answered {nsid} with HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd());
            }
        }
    }

    private OperatorException Unreachable(string reason) => new($"cannot reach the {service} at {baseUrl}: {reason}");

    private static JsonObject? Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The most specific message: wrappers like "see inner exception" say nothing on their own.</summary>
    private static string Reason(Exception e)
    {
        var reason = e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!reason.Contains(inner.Message, StringComparison.Ordinal))
            {
                reason = reason.Contains("inner exception", StringComparison.OrdinalIgnoreCase) ? inner.Message : $"{reason} ({inner.Message})";
            }
        }
        return OneLine(reason);
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
