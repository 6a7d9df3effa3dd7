using System.Net;

namespace Pds.Azure.Tests.Storage;

/// <summary>
/// An HttpMessageHandler that records each request (headers and body as sent) and answers from
/// a queue of canned responses, for pipeline tests that need no server.
/// </summary>
internal sealed class RecordingHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpResponseMessage>> _responses = new();

    public List<RecordedRequest> Requests { get; } = [];

    public RecordingHandler Then(HttpStatusCode status, Action<HttpResponseMessage>? configure = null)
    {
        _responses.Enqueue(() =>
        {
            var response = new HttpResponseMessage(status) { Content = new ByteArrayContent([]) };
            configure?.Invoke(response);
            return response;
        });
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // NonValidated: the raw values the real handler writes, without HttpClient's parse-and-reformat.
        var headers = request.Headers.NonValidated.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v))).ToList();
        byte[]? body = null;
        if (request.Content is not null)
        {
            headers.AddRange(request.Content.Headers.NonValidated.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v))));
            // Content-Length is computed on first read of the property, as the real handler does.
            if (request.Content.Headers.ContentLength is { } length && !headers.Any(h => h.Key == "Content-Length"))
            {
                headers.Add(new("Content-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        Requests.Add(new RecordedRequest(request.Method.Method, request.RequestUri!, headers, body));
        return _responses.Count > 0 ? _responses.Dequeue()() : new HttpResponseMessage(HttpStatusCode.InternalServerError);
    }
}

internal sealed record RecordedRequest(string Method, Uri Uri, List<KeyValuePair<string, string>> Headers, byte[]? Body)
{
    public string? Header(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
}

/// <summary>A clock that moves one minute on every reading.</summary>
internal sealed class SteppingClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        var now = _now;
        _now = _now.AddMinutes(1);
        return now;
    }
}
