using System.Net;

namespace Pds.Functions.Relay;

/// <summary>
/// The incoming request body as outgoing content, copied as it arrives (a 100 MB upload is never
/// held in memory). It can be sent once: if the handler ever tried to send it again (a retry on
/// a stale pooled connection) the bytes are gone, and failing beats forwarding a truncated body.
/// </summary>
internal sealed class RequestBodyContent(Stream body, long? length) : HttpContent
{
    private const int BufferSize = 64 * 1024;
    private int _sent;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _sent, 1) == 1)
        {
            throw new InvalidOperationException("the request body was already forwarded once and cannot be sent again");
        }
        await body.CopyToAsync(stream, BufferSize, cancellationToken);
    }

    protected override bool TryComputeLength(out long computed)
    {
        computed = length ?? 0;
        return length is not null;
    }
}
