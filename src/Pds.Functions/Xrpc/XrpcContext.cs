using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pds.Core.Auth;
using Pds.Core.Xrpc;

namespace Pds.Functions.Xrpc;

/// <summary>
/// What a handler needs from the request: typed parameters that fail as InvalidRequest, a
/// bounded JSON body, the caller's auth, and JSON/byte responses.
/// </summary>
public sealed class XrpcContext(HttpContext http, string nsid, TokenService tokens, string adminPassword)
{
    public const int MaxJsonBody = 5 * 1024 * 1024;

    private AuthContext? _auth;

    public HttpContext Http => http;
    public string Nsid => nsid;
    public CancellationToken Aborted => http.RequestAborted;

    public T Service<T>() where T : notnull => http.RequestServices.GetRequiredService<T>();

    public string? Query(string name)
    {
        var values = http.Request.Query[name];
        return values.Count == 0 ? null : values[0];
    }

    public string RequiredQuery(string name) =>
        Query(name) is { Length: > 0 } v ? v : throw XrpcException.InvalidRequest($"Error: Params must have the property \"{name}\"");

    /// <summary>Array parameters: repeated keys (and, under the Functions host, comma-joined values).</summary>
    public IReadOnlyList<string> QueryAll(string name) =>
        http.Request.Query[name].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();

    public int QueryInt(string name, int fallback, int min, int max)
    {
        var raw = Query(name);
        if (raw is null)
        {
            return fallback;
        }
        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
        {
            throw XrpcException.InvalidRequest($"{name} must be an integer between {min} and {max}");
        }
        return v;
    }

    public bool QueryBool(string name) => Query(name) switch
    {
        null or "false" => false,
        "true" => true,
        _ => throw XrpcException.InvalidRequest($"{name} must be true or false"),
    };

    public async Task<JsonElement> ReadJsonAsync()
    {
        var type = http.Request.ContentType ?? "";
        if (!type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw XrpcException.InvalidRequest("Request encoding (Content-Type) required but not provided: expected application/json");
        }
        if (http.Request.ContentLength > MaxJsonBody)
        {
            throw XrpcException.PayloadTooLarge("request entity too large");
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await http.Request.Body.ReadAsync(chunk, Aborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > MaxJsonBody)
            {
                throw XrpcException.PayloadTooLarge("request entity too large");
            }
            buffer.Write(chunk, 0, n);
        }
        try
        {
            using var doc = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), new JsonDocumentOptions { MaxDepth = 128 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw XrpcException.InvalidRequest("Input must be a JSON object");
            }
            RequireReadableStrings(doc.RootElement);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw XrpcException.InvalidRequest("Request body is not valid JSON");
        }
    }

    /// <summary>
    /// JSON may escape an unpaired surrogate ("\ud800"); the document parses, but reading that
    /// string throws InvalidOperationException wherever a handler touches it (a 500). Refuse it here.
    /// </summary>
    private static void RequireReadableStrings(JsonElement element)
    {
        try
        {
            Walk(element);
        }
        catch (InvalidOperationException)
        {
            throw XrpcException.InvalidRequest("Request body has a string with an unpaired surrogate");
        }

        static void Walk(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in e.EnumerateObject())
                    {
                        _ = property.Name;
                        Walk(property.Value);
                    }
                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray())
                    {
                        Walk(item);
                    }
                    break;
                case JsonValueKind.String:
                    _ = e.GetString();
                    break;
            }
        }
    }

    /// <summary>The signed-in account; app passwords pass unless <paramref name="privileged"/> or <paramref name="fullAccess"/>.</summary>
    public AuthContext RequireAuth(bool privileged = false, bool fullAccess = false)
    {
        var auth = OptionalAuth() ?? throw XrpcException.AuthRequired();
        if ((fullAccess && !auth.IsFullAccess) || (privileged && !auth.IsPrivileged))
        {
            throw new XrpcException(400, "InvalidToken", "Bad token scope");
        }
        return auth;
    }

    public AuthContext? OptionalAuth()
    {
        if (_auth is not null)
        {
            return _auth;
        }
        var header = http.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return null;
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            throw XrpcException.AuthRequired("Unexpected authorization type");
        }
        return _auth = tokens.ValidateAccess(header["Bearer ".Length..].Trim());
    }

    public void RequireAdmin()
    {
        if (!AdminAuth.IsAdmin(http.Request.Headers.Authorization.ToString(), adminPassword))
        {
            throw XrpcException.AuthRequired("Admin authentication required");
        }
    }

    public Task WriteJsonAsync(JsonNode body, int status = 200)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync(body.ToJsonString(), Aborted);
    }

    public Task WriteOkAsync()
    {
        http.Response.StatusCode = 200;
        return Task.CompletedTask;
    }

    public async Task WriteBytesAsync(string contentType, ReadOnlyMemory<byte> bytes)
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = contentType;
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, Aborted).ConfigureAwait(false);
    }
}
