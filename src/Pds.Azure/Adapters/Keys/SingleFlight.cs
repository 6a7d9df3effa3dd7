using System.Collections.Concurrent;

namespace Pds.Azure.Adapters.Keys;

/// <summary>
/// Runs at most one operation per key at a time; concurrent callers with the same key share its
/// result. Keeps eight simultaneous first requests of an account to one vault call.
/// </summary>
internal sealed class SingleFlight<T>
{
    private readonly ConcurrentDictionary<string, Lazy<Task<T>>> _running = new(StringComparer.Ordinal);

    public async Task<T> RunAsync(string key, Func<CancellationToken, Task<T>> work, CancellationToken ct)
    {
        while (true)
        {
            var mine = new Lazy<Task<T>>(() => work(ct));
            var flight = _running.GetOrAdd(key, mine);
            var entry = new KeyValuePair<string, Lazy<Task<T>>>(key, flight);
            var task = flight.Value;
            if (ReferenceEquals(flight, mine))
            {
                _ = task.ContinueWith(_ => _running.TryRemove(entry), CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            try
            {
                return await task.WaitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (task.IsCanceled && !ct.IsCancellationRequested)
            {
                // The caller that started the shared run gave up; this one still wants the result.
                _running.TryRemove(entry);
            }
        }
    }
}
