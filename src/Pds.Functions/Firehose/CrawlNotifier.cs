using System.Collections.Concurrent;
using System.Net.Http.Json;

namespace Pds.Functions.Firehose;

/// <summary>
/// Tells relays (PDS_CRAWLERS) that this PDS has new activity via com.atproto.sync.requestCrawl,
/// at most once per host every 20 minutes. Failures are logged and retried on the next activity.
/// </summary>
public sealed class CrawlNotifier(HttpClient http, CrawlSettings settings, TimeProvider clock, ILogger<CrawlNotifier> logger)
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromMinutes(20);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _last = new(StringComparer.OrdinalIgnoreCase);

    public void NotifyActivity()
    {
        var now = clock.GetUtcNow();
        foreach (var host in settings.Crawlers)
        {
            var last = _last.GetOrAdd(host, DateTimeOffset.MinValue);
            if (now - last >= MinInterval && _last.TryUpdate(host, now, last))
            {
                _ = RequestCrawlAsync(host);
            }
        }
    }

    public async Task<bool> RequestCrawlAsync(string host, CancellationToken ct = default)
    {
        var baseUrl = host.Contains("://", StringComparison.Ordinal) ? host.TrimEnd('/') : "https://" + host.TrimEnd('/');
        try
        {
            using var response = await http.PostAsJsonAsync($"{baseUrl}/xrpc/com.atproto.sync.requestCrawl", new { hostname = settings.Hostname }, ct);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("requestCrawl to {Host} answered {Status}", host, (int)response.StatusCode);
            }
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            logger.LogWarning("requestCrawl to {Host} failed: {Message}", host, e.Message);
            return false;
        }
    }
}

public sealed record CrawlSettings(string Hostname, IReadOnlyList<string> Crawlers);
