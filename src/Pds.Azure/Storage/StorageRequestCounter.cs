using Azure.Core;
using Azure.Core.Pipeline;

namespace Pds.Azure.Storage;

/// <summary>
/// Counts HTTP round trips a client made (retries included: it runs once per attempt), so
/// callers can report storage round trips per operation. Thread-safe; <see cref="Reset"/> returns
/// the count so far.
/// </summary>
public sealed class StorageRequestCounter
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public long Reset() => Interlocked.Exchange(ref _count, 0);

    internal HttpPipelinePolicy CreatePolicy() => new Policy(this);

    private sealed class Policy(StorageRequestCounter counter) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref counter._count);
    }
}
