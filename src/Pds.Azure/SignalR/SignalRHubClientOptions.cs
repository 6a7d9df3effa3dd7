using System.Net.WebSockets;

namespace Pds.Azure.SignalR;

public sealed class SignalRHubClientOptions
{
    /// <summary>
    /// The hub URL clients negotiate at: <c>https://{name}.service.signalr.net/client/?hub={hub}</c>
    /// for SignalR Service, or an app's hub path. Negotiate goes to {path}/negotiate with the same query.
    /// </summary>
    public required Uri HubUrl { get; init; }

    /// <summary>Called before every (re)connect; null means no token is sent.</summary>
    public Func<CancellationToken, ValueTask<string?>>? AccessTokenProvider { get; init; }

    /// <summary>How often the client pings the server (the protocol suggests 15 s).</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Silence after which the link is taken for dead; at least twice the server's ping interval.</summary>
    public TimeSpan ServerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Waits before reconnect attempts 1, 2, ...; the last one repeats forever. Jitter of up to 20% is added.</summary>
    public IReadOnlyList<TimeSpan> ReconnectDelays { get; init; } =
        [TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)];

    /// <summary>Largest hub protocol record accepted; the service's own message limit is 1 MB.</summary>
    public int MaxRecordSize { get; init; } = 1024 * 1024;

    /// <summary>For negotiate; a default SocketsHttpHandler when null. Not disposed by the client.</summary>
    public HttpMessageHandler? HttpMessageHandler { get; init; }

    /// <summary>Extra WebSocket settings (TLS callbacks in tests, proxies).</summary>
    public Action<ClientWebSocketOptions>? ConfigureWebSocket { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Options for a relay listening on a SignalR Service hub, minting its own tokens with the AccessKey.</summary>
    public static SignalRHubClientOptions ForService(SignalRConnectionString connectionString, string hub, TimeSpan? tokenLifetime = null, string? userId = null)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        if (connectionString.AccessKey is null)
        {
            throw new InvalidOperationException("minting client tokens needs an AccessKey connection string");
        }
        var lifetime = tokenLifetime ?? TimeSpan.FromHours(1);
        var time = TimeProvider.System;
        return new SignalRHubClientOptions
        {
            HubUrl = SignalRAccessToken.ClientHubUrl(connectionString, hub),
            AccessTokenProvider = _ => ValueTask.FromResult<string?>(
                SignalRAccessToken.CreateForClient(connectionString, hub, time.GetUtcNow() + lifetime, userId)),
        };
    }

    internal TimeSpan ReconnectDelay(int attempt)
    {
        if (ReconnectDelays.Count == 0)
        {
            return TimeSpan.FromSeconds(30);
        }
        var delay = ReconnectDelays[Math.Min(attempt, ReconnectDelays.Count - 1)];
        return delay + delay * (Random.Shared.NextDouble() * 0.2);
    }
}
