using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Pds.Functions.Hosting;

/// <summary>
/// Raw DID documents of hosted accounts, for responses that embed them (describeRepo,
/// createAccount). Cached briefly; PDS writes to the document (handle changes) evict the entry.
/// </summary>
public sealed class DidDocuments(HttpClient http, PdsConfig config, TimeProvider clock)
{
    private const int MaxBytes = 64 * 1024;
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, (JsonObject Doc, DateTimeOffset At)> _cache = new(StringComparer.Ordinal);

    public async Task<JsonObject?> GetJsonAsync(string did, CancellationToken ct = default)
    {
        if (_cache.TryGetValue(did, out var hit) && clock.GetUtcNow() - hit.At < Ttl)
        {
            return (JsonObject)hit.Doc.DeepClone();
        }
        var url = did.StartsWith("did:plc:", StringComparison.Ordinal) ? $"{config.PlcUrl}/{did}"
            : did.StartsWith("did:web:", StringComparison.Ordinal) ? WebUrl(did["did:web:".Length..])
            : null;
        if (url is null)
        {
            return null;
        }
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength > MaxBytes)
            {
                return null;
            }
            var bytes = await response.Content.ReadAsByteArrayAsync(ct);
            if (bytes.Length > MaxBytes || JsonNode.Parse(bytes) is not JsonObject doc)
            {
                return null;
            }
            _cache[did] = (doc, clock.GetUtcNow());
            return (JsonObject)doc.DeepClone();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public void Evict(string did) => _cache.TryRemove(did, out _);

    private string WebUrl(string host)
    {
        var decoded = Uri.UnescapeDataString(host);
        var local = decoded.StartsWith("localhost", StringComparison.Ordinal) || decoded.StartsWith("127.0.0.1", StringComparison.Ordinal);
        return $"{(local ? "http" : "https")}://{decoded}/.well-known/did.json";
    }
}
