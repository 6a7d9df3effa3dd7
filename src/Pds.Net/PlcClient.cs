using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Pds.Core.Identity;
using Pds.Core.Syntax;

namespace Pds.Net;

/// <summary>
/// HTTP client of a did:plc directory (https://plc.directory in production):
/// <c>POST /{did}</c> with an operation, <c>GET /{did}</c> for the document,
/// <c>GET /{did}/log/last</c> and <c>GET /{did}/log</c> for operations. Every body read is bounded.
/// </summary>
public sealed class PlcClient : IPlcClient
{
    public const int MaxOperationBytes = PlcOperation.MaxJsonLength;
    public const int MaxLogBytes = 4 * 1024 * 1024;
    public const int MaxErrorBytes = 8 * 1024;

    private readonly HttpClient _http;
    private readonly string _base;

    /// <param name="http">Shared client; its timeout bounds every call.</param>
    /// <param name="directoryUrl">The directory's base URL, e.g. https://plc.directory.</param>
    public PlcClient(HttpClient http, Uri directoryUrl)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(directoryUrl);
        if (!directoryUrl.IsAbsoluteUri || (directoryUrl.Scheme != Uri.UriSchemeHttps && directoryUrl.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("the directory URL must be absolute http(s)", nameof(directoryUrl));
        }
        _http = http;
        _base = directoryUrl.AbsoluteUri.TrimEnd('/');
    }

    public Uri DirectoryUrl => new(_base);

    public async Task SubmitAsync(Did did, PlcOperation signedOperation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signedOperation);
        if (!signedOperation.IsSigned)
        {
            throw new ArgumentException("only signed operations can be submitted", nameof(signedOperation));
        }
        using var content = new ByteArrayContent(signedOperation.ToJsonUtf8());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, Url(did, "")) { Content = content };
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<PlcLastOperation?> GetLastOperationAsync(Did did, CancellationToken cancellationToken)
    {
        var body = await GetAsync(did, "/log/last", MaxOperationBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return null;
        }
        var op = Parse(body, b => PlcOperation.ParseJson(b));
        return new PlcLastOperation(op, op.Cid);
    }

    public async Task<IReadOnlyList<PlcOperation>?> GetOperationLogAsync(Did did, CancellationToken cancellationToken)
    {
        var body = await GetAsync(did, "/log", MaxLogBytes, cancellationToken).ConfigureAwait(false);
        return body is null ? null : Parse(body, ParseLog);
    }

    public async Task<DidDocument?> GetDocumentAsync(Did did, CancellationToken cancellationToken)
    {
        var body = await GetAsync(did, "", DidDocument.MaxJsonLength, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return null;
        }
        var doc = Parse(body, b => DidDocument.Parse(b));
        return doc.Id == did
            ? doc
            : throw new PlcDirectoryException((int)HttpStatusCode.OK, $"the directory served the document of {doc.Id} for {did}");
    }

    /// <summary>The body of a 200, or null for 404 (unknown) and 410 (tombstoned).</summary>
    private async Task<byte[]?> GetAsync(Did did, string suffix, int maxBytes, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(did, suffix));
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            return null;
        }
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
        }
        try
        {
            return await BoundedBody.ReadAsync(response, maxBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or HttpRequestException or IOException)
        {
            throw new PlcDirectoryException((int)response.StatusCode, "reading the directory's answer failed: " + e.Message, e);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new PlcDirectoryException(0, $"the directory at {_base} is unreachable: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PlcDirectoryException(0, $"the directory at {_base} did not answer in time", e);
        }
    }

    private string Url(Did did, string suffix)
    {
        ArgumentNullException.ThrowIfNull(did);
        if (!did.IsPlc)
        {
            throw new ArgumentException($"{did} is not a did:plc", nameof(did));
        }
        // DID characters are all safe in a path segment, and directories expect them unescaped.
        return $"{_base}/{did}{suffix}";
    }

    /// <summary>The directory answers errors as <c>{"message": "..."}</c>; surface that text.</summary>
    private static async Task<PlcDirectoryException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string? message = null;
        try
        {
            var body = await BoundedBody.ReadAsync(response, MaxErrorBytes, cancellationToken).ConfigureAwait(false);
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object &&
                doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
            {
                message = m.GetString();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or HttpRequestException or IOException)
        {
            // No readable message: the status alone has to do.
        }
        return new PlcDirectoryException(status, message is { Length: > 0 }
            ? $"PLC directory refused ({status}): {message}"
            : $"PLC directory answered HTTP {status}");
    }

    private static IReadOnlyList<PlcOperation> ParseLog(byte[] body)
    {
        using var doc = JsonDocument.Parse(body);
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new PlcFormatException("the operation log must be a JSON array");
        }
        return doc.RootElement.EnumerateArray().Select(PlcOperation.FromJson).ToArray();
    }

    private static T Parse<T>(byte[] body, Func<byte[], T> parse)
    {
        try
        {
            return parse(body);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new PlcDirectoryException((int)HttpStatusCode.OK, "the directory's answer is malformed: " + e.Message, e);
        }
    }
}
