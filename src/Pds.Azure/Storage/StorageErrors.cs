using System.Text;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using Azure;
using Azure.Core;

namespace Pds.Azure.Storage;

/// <summary>Turns an error response into the one exception family callers see.</summary>
internal static class StorageErrors
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    public static async Task<StorageRequestException> FromResponseAsync(Request request, Response response, CancellationToken ct)
    {
        response.Headers.TryGetValue("x-ms-error-code", out var code);
        var body = await ReadBodyAsync(response, ct).ConfigureAwait(false);
        var (bodyCode, bodyMessage) = ParseErrorBody(body);
        code = string.IsNullOrEmpty(code) ? (string.IsNullOrEmpty(bodyCode) ? null : bodyCode) : code;
        return Create(response.Status, code, Describe(request.Method.Method, request.Uri.Path, response.Status, code, bodyMessage));
    }

    public static string Describe(string method, string path, int status, string? code, string? serviceMessage)
    {
        var sb = new StringBuilder($"storage request {method} {path} failed: {status}");
        if (code is not null)
        {
            sb.Append(' ').Append(code);
        }
        // Service messages end with "RequestId:...\nTime:..." lines; the first line is the useful part.
        var firstLine = serviceMessage?.Split('\n', 2)[0].Trim();
        if (!string.IsNullOrEmpty(firstLine))
        {
            sb.Append(": ").Append(firstLine);
        }
        return sb.ToString();
    }

    public static StorageRequestException Create(int status, string? code, string message) => status switch
    {
        404 => new StorageNotFoundException(status, code, message),
        409 => new StorageConflictException(status, code, message),
        412 => new StorageConcurrencyException(status, code, message),
        _ => new StorageRequestException(status, code, message),
    };

    /// <summary>Code and message from a Table JSON error (<c>odata.error</c>) or a Blob/Queue XML <c>&lt;Error&gt;</c>.</summary>
    public static (string? Code, string? Message) ParseErrorBody(string body)
    {
        var text = body.TrimStart('\uFEFF', ' ', '\r', '\n', '\t');
        try
        {
            if (text.StartsWith('{'))
            {
                using var doc = JsonDocument.Parse(text);
                if (doc.RootElement.TryGetProperty("odata.error", out var error))
                {
                    // Azurite sends "code":"" for some errors (e.g. bad resource names).
                    var code = error.TryGetProperty("code", out var c) && c.GetString() is { Length: > 0 } cs ? cs : null;
                    string? message = null;
                    if (error.TryGetProperty("message", out var m))
                    {
                        message = m.ValueKind == JsonValueKind.Object && m.TryGetProperty("value", out var v) ? v.GetString()
                            : m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                    }
                    return (code, message);
                }
            }
            else if (text.StartsWith('<'))
            {
                var root = XDocument.Parse(text).Root;
                var xmlCode = root?.Element("Code")?.Value;
                return (string.IsNullOrEmpty(xmlCode) ? null : xmlCode, root?.Element("Message")?.Value);
            }
        }
        catch (Exception e) when (e is JsonException or XmlException)
        {
            // Not a well-formed error body: the status and header code still say enough.
        }
        return (null, null);
    }

    private static async Task<string> ReadBodyAsync(Response response, CancellationToken ct)
    {
        if (response.ContentStream is not { } stream)
        {
            return "";
        }
        var buffer = new byte[MaxErrorBodyBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), ct).ConfigureAwait(false)) > 0)
        {
            total += read;
        }
        return Encoding.UTF8.GetString(buffer, 0, total);
    }
}
