using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Pds.Functions.Tests.Server;

/// <summary>One XRPC answer, read whole: status, bytes, headers, and the JSON body when there is one.</summary>
public sealed class XrpcResponse(HttpResponseMessage message, byte[] body)
{
    public HttpStatusCode Status => message.StatusCode;
    public int Code => (int)message.StatusCode;
    public byte[] Body => body;
    public string Text => Encoding.UTF8.GetString(body);
    public HttpResponseMessage Message => message;
    public string? MediaType => message.Content.Headers.ContentType?.MediaType;

    public JsonNode Json => JsonNode.Parse(body) ?? throw new InvalidOperationException("empty JSON body");

    /// <summary>The XRPC error name, when the body is an error object.</summary>
    public string? Error
    {
        get
        {
            try
            {
                return JsonNode.Parse(body) is JsonObject o && o["error"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>Asserts a 2xx and returns this.</summary>
    public XrpcResponse Ok()
    {
        Assert.True(message.IsSuccessStatusCode, $"expected success, got {Code}: {Text}");
        return this;
    }

    /// <summary>Asserts an XRPC error: the status, the error name, a JSON body with a message.</summary>
    public XrpcResponse Fails(int status, string error)
    {
        Assert.True((status, error) == (Code, Error), $"expected {status} {error}, got {Code}: {Text}");
        Assert.Equal("application/json", MediaType);
        Assert.Equal(System.Text.Json.JsonValueKind.String, Json["message"]?.GetValueKind());
        return this;
    }
}

/// <summary>Real HTTP calls to <c>/xrpc/{nsid}</c> with an optional Authorization header.</summary>
public sealed class XrpcClient(HttpClient http)
{
    public HttpClient Http => http;

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    public Task<XrpcResponse> GetAsync(string nsid, AuthenticationHeaderValue? auth, params (string Name, string Value)[] query)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Url(nsid, query));
        request.Headers.Authorization = auth;
        return SendAsync(request);
    }

    public Task<XrpcResponse> GetAsync(string nsid, params (string Name, string Value)[] query) => GetAsync(nsid, null, query);

    /// <summary>POSTs <paramref name="body"/> as JSON (no body when null).</summary>
    public Task<XrpcResponse> PostAsync(string nsid, object? body, AuthenticationHeaderValue? auth = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "xrpc/" + nsid)
        {
            Content = body switch
            {
                null => null,
                HttpContent content => content,
                JsonNode node => new StringContent(node.ToJsonString(), Encoding.UTF8, "application/json"),
                _ => JsonContent.Create(body, body.GetType()),
            },
        };
        request.Headers.Authorization = auth;
        return SendAsync(request);
    }

    /// <summary>Follows <c>cursor</c> page by page (at most 100 pages) and returns the items under <paramref name="itemsKey"/> of them all.</summary>
    public async Task<List<JsonNode>> PageAllAsync(string nsid, string itemsKey, params (string Name, string Value)[] query)
    {
        var items = new List<JsonNode>();
        string? cursor = null;
        for (var page = 0; page < 100; page++)
        {
            var json = (await GetAsync(nsid, cursor is null ? query : [.. query, ("cursor", cursor)])).Ok().Json;
            items.AddRange(json[itemsKey]!.AsArray().Select(i => i!));
            cursor = (string?)json["cursor"];
            if (cursor is null)
            {
                return items;
            }
        }
        throw new InvalidOperationException($"{nsid} kept answering with a cursor");
    }

    public async Task<XrpcResponse> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            var response = await http.SendAsync(request);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            return new XrpcResponse(response, bytes);
        }
    }

    public static string Url(string nsid, IEnumerable<(string Name, string Value)> query)
    {
        var q = string.Join('&', query.Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value)));
        return "xrpc/" + nsid + (q.Length > 0 ? "?" + q : "");
    }
}

/// <summary>A stream that hides its length, so HttpClient sends it chunked (no Content-Length).</summary>
public sealed class NoLengthStream(byte[] bytes) : MemoryStream(bytes)
{
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
}
