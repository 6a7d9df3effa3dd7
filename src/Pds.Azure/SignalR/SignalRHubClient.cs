using System.Net.WebSockets;
using System.Threading.Channels;

namespace Pds.Azure.SignalR;

/// <summary>
/// A listening client of one SignalR hub over the JSON hub protocol on a WebSocket (the SignalR
/// client package is not available here). It pings every KeepAliveInterval, drops a link silent
/// for ServerTimeout, and reconnects with backoff unless the server's close message forbids it.
/// Invocations reach handlers in arrival order, one at a time; a handler that throws drops the
/// connection, so that <see cref="Connected"/> tells the owner to resynchronise (nothing is replayed).
/// </summary>
public sealed class SignalRHubClient : IAsyncDisposable
{
    private readonly SignalRHubClientOptions _options;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Dictionary<string, Func<HubInvocation, CancellationToken, ValueTask>[]> _handlers = new(StringComparer.Ordinal);
    private Task? _run;
    private int _disposed;

    public SignalRHubClient(SignalRHubClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.KeepAliveInterval <= TimeSpan.Zero || options.ServerTimeout <= TimeSpan.Zero || options.HandshakeTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("keep-alive, server and handshake timeouts must be positive", nameof(options));
        }
        _options = options;
        _http = options.HttpMessageHandler is { } handler
            ? new HttpClient(handler, disposeHandler: false)
            : new HttpClient();
    }

    /// <summary>Raised after each successful handshake with the connection id (first connect and every reconnect).</summary>
    public event Action<string>? Connected;

    /// <summary>Raised when a connection ends or a reconnect attempt fails, with why (null for a clean close).</summary>
    public event Action<Exception?>? Disconnected;

    public string? ConnectionId { get; private set; }

    /// <summary>Ends when the client stops; faults when the server closed with allowReconnect false.</summary>
    public Task Completion => _run ?? Task.CompletedTask;

    /// <summary>Registers a handler for a client method; dispose the result to remove it.</summary>
    public IDisposable On(string target, Func<HubInvocation, CancellationToken, ValueTask> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            var next = new Dictionary<string, Func<HubInvocation, CancellationToken, ValueTask>[]>(_handlers, StringComparer.Ordinal);
            next[target] = [.. next.GetValueOrDefault(target, []), handler];
            _handlers = next;
        }
        return new Registration(this, target, handler);
    }

    /// <summary>
    /// The invocations of <paramref name="target"/> as a channel, in order. When the reader falls
    /// <paramref name="capacity"/> behind, receiving waits (back-pressure reaches the server).
    /// </summary>
    public ChannelReader<HubInvocation> Subscribe(string target, int capacity = 10_000)
    {
        var channel = Channel.CreateBounded<HubInvocation>(new BoundedChannelOptions(capacity)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        On(target, (invocation, ct) => channel.Writer.WriteAsync(invocation, ct));
        return channel.Reader;
    }

    /// <summary>Connects once (throwing if that fails), then keeps the connection up in the background.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_run is not null || _stopping.IsCancellationRequested)
            {
                throw new InvalidOperationException("client already started or stopped");
            }
            _run = Task.CompletedTask;
        }
        HubConnection first;
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
            first = await ConnectAsync(linked.Token).ConfigureAwait(false);
        }
        catch
        {
            lock (_gate)
            {
                _run = null;
            }
            throw;
        }
        _run = Task.Run(() => RunAsync(first), CancellationToken.None);
    }

    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (Exception e) when (e is SignalRException or OperationCanceledException)
        {
            // Stopping does not rethrow why the connection had ended.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await StopAsync().ConfigureAwait(false);
        _http.Dispose();
        _stopping.Dispose();
    }

    private async Task<HubConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = await HubConnection.ConnectAsync(_options, _http, cancellationToken).ConfigureAwait(false);
        ConnectionId = connection.ConnectionId;
        Connected?.Invoke(connection.ConnectionId);
        return connection;
    }

    private async Task RunAsync(HubConnection connection)
    {
        var stopping = _stopping.Token;
        while (true)
        {
            var (reason, allowReconnect) = await ServeAsync(connection, stopping).ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            ConnectionId = null;
            Disconnected?.Invoke(reason);
            if (stopping.IsCancellationRequested)
            {
                return;
            }
            if (!allowReconnect)
            {
                throw new SignalRException($"hub closed the connection and does not allow reconnecting: {reason?.Message ?? "no error given"}", reason);
            }
            var next = await ReconnectAsync(stopping).ConfigureAwait(false);
            if (next is null)
            {
                return;
            }
            connection = next;
        }
    }

    private async Task<HubConnection?> ReconnectAsync(CancellationToken stopping)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await Task.Delay(_options.ReconnectDelay(attempt), _options.TimeProvider, stopping).ConfigureAwait(false);
                return await ConnectAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception e) when (IsConnectionFailure(e))
            {
                Disconnected?.Invoke(e);
            }
        }
    }

    /// <summary>Runs one connection until it ends; returns why and whether a reconnect is allowed.</summary>
    private async Task<(Exception? Reason, bool AllowReconnect)> ServeAsync(HubConnection connection, CancellationToken stopping)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var pings = PingAsync(connection, done.Token);
        try
        {
            var messages = new List<HubMessage>(connection.Pending);
            while (true)
            {
                foreach (var message in messages)
                {
                    switch (message)
                    {
                        case InvocationMessage invocation:
                            await DispatchAsync(invocation.Invocation, stopping).ConfigureAwait(false);
                            break;
                        case CloseMessage close:
                            return (close.Error is null ? null : new SignalRException($"hub closed the connection: {close.Error}"), close.AllowReconnect);
                    }
                }
                messages.Clear();
                await connection.ReceiveAsync(messages, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return (null, false);
        }
        catch (Exception e) when (IsConnectionFailure(e) || e is HandlerException)
        {
            return (e is HandlerException h ? h.InnerException : e, true);
        }
        finally
        {
            await done.CancelAsync().ConfigureAwait(false);
            await pings.ConfigureAwait(false);
        }
    }

    private async Task DispatchAsync(HubInvocation invocation, CancellationToken stopping)
    {
        if (!_handlers.TryGetValue(invocation.Target, out var handlers))
        {
            return;
        }
        foreach (var handler in handlers)
        {
            try
            {
                await handler(invocation, stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException && stopping.IsCancellationRequested))
            {
                throw new HandlerException(e);
            }
        }
    }

    private async Task PingAsync(HubConnection connection, CancellationToken done)
    {
        using var timer = new PeriodicTimer(_options.KeepAliveInterval, _options.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(done).ConfigureAwait(false))
            {
                await connection.SendAsync(HubProtocol.Ping, done).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException || IsConnectionFailure(e))
        {
            // A failed ping shows up on the receive side as a closed or silent socket.
        }
    }

    private static bool IsConnectionFailure(Exception e) =>
        e is WebSocketException or HubProtocolException or SignalRException or TimeoutException or HttpRequestException
            or IOException or ObjectDisposedException
        || (e is OperationCanceledException && e.InnerException is TimeoutException);

    private void Remove(string target, Func<HubInvocation, CancellationToken, ValueTask> handler)
    {
        lock (_gate)
        {
            if (!_handlers.TryGetValue(target, out var list))
            {
                return;
            }
            var next = new Dictionary<string, Func<HubInvocation, CancellationToken, ValueTask>[]>(_handlers, StringComparer.Ordinal);
            var remaining = list.Where(h => h != handler).ToArray();
            if (remaining.Length == 0)
            {
                next.Remove(target);
            }
            else
            {
                next[target] = remaining;
            }
            _handlers = next;
        }
    }

    private sealed class HandlerException(Exception inner) : Exception("invocation handler failed", inner);

    private sealed class Registration(SignalRHubClient client, string target, Func<HubInvocation, CancellationToken, ValueTask> handler) : IDisposable
    {
        public void Dispose() => client.Remove(target, handler);
    }
}
