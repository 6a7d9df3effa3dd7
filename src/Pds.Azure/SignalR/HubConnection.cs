using System.Net.WebSockets;
using System.Text.Json;

namespace Pds.Azure.SignalR;

/// <summary>
/// One negotiated, handshaken WebSocket to a hub. Not reused: a reconnect makes a new one.
/// Sends are serialised (a WebSocket allows one sender at a time); there is a single reader.
/// </summary>
internal sealed class HubConnection : IAsyncDisposable
{
    private const int MaxRedirects = 10;
    private const int ReceiveBufferSize = 16 * 1024;

    private readonly ClientWebSocket _socket;
    private readonly SignalRHubClientOptions _options;
    private readonly HubRecordSplitter _splitter;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly byte[] _buffer = new byte[ReceiveBufferSize];
    private readonly List<byte[]> _records = [];

    private HubConnection(ClientWebSocket socket, SignalRHubClientOptions options, string connectionId)
    {
        _socket = socket;
        _options = options;
        _splitter = new HubRecordSplitter(options.MaxRecordSize);
        ConnectionId = connectionId;
    }

    public string ConnectionId { get; }

    /// <summary>Messages that arrived with the handshake response.</summary>
    public List<HubMessage> Pending { get; } = [];

    public static async Task<HubConnection> ConnectAsync(SignalRHubClientOptions options, HttpClient http, CancellationToken cancellationToken)
    {
        var url = options.HubUrl;
        var token = options.AccessTokenProvider is null ? null : await options.AccessTokenProvider(cancellationToken).ConfigureAwait(false);
        for (var redirects = 0; ; redirects++)
        {
            var answer = await NegotiateAsync(http, url, token, cancellationToken).ConfigureAwait(false);
            if (answer.RedirectUrl is not null)
            {
                if (redirects == MaxRedirects)
                {
                    throw new SignalRException("negotiate redirected too many times");
                }
                url = answer.RedirectUrl;
                token = answer.AccessToken;
                continue;
            }
            var socket = new ClientWebSocket();
            try
            {
                if (token is not null)
                {
                    socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
                }
                options.ConfigureWebSocket?.Invoke(socket.Options);
                await socket.ConnectAsync(WebSocketUrl(url, answer.ConnectionToken!, token), cancellationToken).ConfigureAwait(false);
                var connection = new HubConnection(socket, options, answer.ConnectionId!);
                await connection.HandshakeAsync(cancellationToken).ConfigureAwait(false);
                return connection;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }

    /// <summary>Waits for the next records and parses them; throws TimeoutException after ServerTimeout of silence.</summary>
    public async Task ReceiveAsync(List<HubMessage> messages, CancellationToken cancellationToken)
    {
        while (messages.Count == 0)
        {
            await ReceiveRecordsAsync(_options.ServerTimeout, cancellationToken).ConfigureAwait(false);
            foreach (var record in _records)
            {
                messages.Add(HubProtocol.ParseMessage(record));
            }
            _records.Clear();
        }
    }

    public async Task SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Closing is a courtesy; the socket is aborted below either way.
            }
        }
        _socket.Abort();
        _socket.Dispose();
    }

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        await SendAsync(HubProtocol.HandshakeRequest, cancellationToken).ConfigureAwait(false);
        while (_records.Count == 0)
        {
            await ReceiveRecordsAsync(_options.HandshakeTimeout, cancellationToken).ConfigureAwait(false);
        }
        var error = HubProtocol.ParseHandshakeResponse(_records[0]);
        if (error is not null)
        {
            throw new SignalRException($"hub refused the handshake: {error}");
        }
        foreach (var record in _records.Skip(1))
        {
            Pending.Add(HubProtocol.ParseMessage(record));
        }
        _records.Clear();
    }

    private async Task ReceiveRecordsAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var silence = new CancellationTokenSource(timeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, silence.Token);
        while (_records.Count == 0)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(_buffer.AsMemory(), linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (silence.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"nothing from the hub for {timeout.TotalSeconds:0.###} s");
            }
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely,
                    $"hub closed the WebSocket ({_socket.CloseStatus}) without a close message");
            }
            if (result.MessageType != WebSocketMessageType.Text)
            {
                throw new HubProtocolException("binary WebSocket message on a JSON hub connection");
            }
            _splitter.Feed(_buffer.AsSpan(0, result.Count), _records);
        }
    }

    private static async Task<NegotiateAnswer> NegotiateAsync(HttpClient http, Uri hubUrl, string? token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, NegotiateUrl(hubUrl));
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new SignalRException((int)response.StatusCode, $"negotiate answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return NegotiateAnswer.Parse(body);
    }

    internal static Uri NegotiateUrl(Uri hubUrl)
    {
        var builder = new UriBuilder(hubUrl) { Path = hubUrl.AbsolutePath.TrimEnd('/') + "/negotiate" };
        builder.Query = AppendQuery(hubUrl.Query, "negotiateVersion=1");
        return builder.Uri;
    }

    internal static Uri WebSocketUrl(Uri hubUrl, string connectionToken, string? accessToken)
    {
        var builder = new UriBuilder(hubUrl) { Scheme = hubUrl.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" };
        var query = AppendQuery(hubUrl.Query, "id=" + Uri.EscapeDataString(connectionToken));
        if (accessToken is not null)
        {
            // Browsers cannot set headers on a WebSocket, so the service also reads the token here.
            query = AppendQuery(query, "access_token=" + Uri.EscapeDataString(accessToken));
        }
        builder.Query = query;
        return builder.Uri;
    }

    private static string AppendQuery(string query, string pair)
    {
        var existing = query.TrimStart('?');
        return existing.Length == 0 ? pair : existing + "&" + pair;
    }

    private sealed record NegotiateAnswer(string? ConnectionId, string? ConnectionToken, Uri? RedirectUrl, string? AccessToken)
    {
        public static NegotiateAnswer Parse(byte[] body)
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new SignalRException("negotiate answer is not a JSON object");
                }
                if (String(root, "error") is { } error)
                {
                    throw new SignalRException($"negotiate refused: {error}");
                }
                if (String(root, "url") is { } url)
                {
                    if (!Uri.TryCreate(url, UriKind.Absolute, out var redirect) || redirect.Scheme is not ("https" or "http"))
                    {
                        throw new SignalRException("negotiate redirect 'url' is not an absolute http(s) URL");
                    }
                    return new NegotiateAnswer(null, null, redirect, String(root, "accessToken"));
                }
                var connectionId = String(root, "connectionId") ?? throw new SignalRException("negotiate answer has no connectionId");
                // negotiateVersion 0 servers have no separate token: the id is the token.
                var connectionToken = String(root, "connectionToken") ?? connectionId;
                if (!OffersWebSockets(root))
                {
                    throw new SignalRException("hub does not offer WebSockets with text frames");
                }
                return new NegotiateAnswer(connectionId, connectionToken, null, null);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                throw new SignalRException("negotiate answer is not valid JSON", e);
            }
        }

        private static bool OffersWebSockets(JsonElement root)
        {
            if (!root.TryGetProperty("availableTransports", out var transports) || transports.ValueKind != JsonValueKind.Array)
            {
                return false;
            }
            foreach (var transport in transports.EnumerateArray())
            {
                if (transport.ValueKind == JsonValueKind.Object && String(transport, "transport") == "WebSockets"
                    && transport.TryGetProperty("transferFormats", out var formats) && formats.ValueKind == JsonValueKind.Array
                    && formats.EnumerateArray().Any(f => f.ValueKind == JsonValueKind.String && f.GetString() == "Text"))
                {
                    return true;
                }
            }
            return false;
        }

        private static string? String(JsonElement obj, string name) =>
            obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    public override string ToString() => $"HubConnection({ConnectionId})";
}
