using Azure.Core;

namespace Pds.Azure.Storage;

/// <summary>
/// A request body streamed from the caller's stream with a known length, so the upload goes out
/// with Content-Length and without buffering. A retry rewinds a seekable stream; a
/// non-seekable one cannot be sent twice. The caller keeps ownership of the stream.
/// </summary>
internal sealed class StreamRequestContent(Stream stream, long length) : RequestContent
{
    private const int BufferSize = 81920;
    private readonly long _origin = stream.CanSeek ? stream.Position : -1;
    private bool _started;

    public override bool TryComputeLength(out long contentLength)
    {
        contentLength = length;
        return true;
    }

    // Azure.Core only calls this from its synchronous Send, which these clients never use.
    public override void WriteTo(Stream target, CancellationToken cancellationToken)
    {
        Rewind();
        var buffer = new byte[(int)Math.Min(BufferSize, Math.Max(length, 1))];
        for (var left = length; left > 0;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
            {
                throw EndedEarly(left);
            }
            target.Write(buffer, 0, read);
            left -= read;
        }
    }

    public override async Task WriteToAsync(Stream target, CancellationToken cancellationToken)
    {
        Rewind();
        var buffer = new byte[(int)Math.Min(BufferSize, Math.Max(length, 1))];
        var left = length;
        while (left > 0)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw EndedEarly(left);
            }
            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            left -= read;
        }
    }

    public override void Dispose()
    {
        // The caller owns the stream.
    }

    private UploadStreamException EndedEarly(long left) => new($"the upload stream ended {left} bytes before the declared length of {length}");

    private void Rewind()
    {
        if (_started)
        {
            if (_origin < 0)
            {
                throw new UploadStreamException("a non-seekable upload stream cannot be resent on retry");
            }
            stream.Position = _origin;
        }
        _started = true;
    }
}

/// <summary>
/// The caller's upload stream cannot supply the body (too short, or not rewindable for a retry).
/// Never retried: see <see cref="StorageResponseClassifier"/>.
/// </summary>
public sealed class UploadStreamException(string message) : IOException(message);
