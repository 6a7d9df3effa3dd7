using System.Collections.Concurrent;
using Pds.Azure.SignalR;

namespace Pds.Azure.Tests.SignalR;

/// <summary>Records a client's Connected/Disconnected events and lets a test await the n-th one.</summary>
internal sealed class EventLog
{
    private readonly ConcurrentQueue<string> _connected = new();
    private readonly ConcurrentQueue<Exception?> _disconnected = new();
    private readonly SemaphoreSlim _changed = new(0);

    public EventLog(SignalRHubClient client)
    {
        client.Connected += id =>
        {
            _connected.Enqueue(id);
            _changed.Release();
        };
        client.Disconnected += reason =>
        {
            _disconnected.Enqueue(reason);
            _changed.Release();
        };
    }

    public IReadOnlyList<string> Connected => [.. _connected];

    public IReadOnlyList<Exception?> Disconnected => [.. _disconnected];

    public Task WaitConnectedAsync(int count, TimeSpan? timeout = null) => WaitAsync(() => _connected.Count >= count, timeout);

    public Task WaitDisconnectedAsync(int count, TimeSpan? timeout = null) => WaitAsync(() => _disconnected.Count >= count, timeout);

    private async Task WaitAsync(Func<bool> condition, TimeSpan? timeout)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _changed.WaitAsync(left))
            {
                throw new TimeoutException($"event did not happen: {_connected.Count} connected, {_disconnected.Count} disconnected");
            }
        }
    }
}
