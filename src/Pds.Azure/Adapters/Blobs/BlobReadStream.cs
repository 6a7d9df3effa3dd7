using Pds.Azure.Storage;

namespace Pds.Azure.Adapters.Blobs;

/// <summary>
/// A seekable read-only view of one blob version. It starts on the whole-blob download that
/// <see cref="AzureBlobStore.OpenAsync"/> made (so a plain copy costs one request); a seek only
/// moves the position, and the next read opens a ranged GET from there (so serving a Range
/// request costs one more). A connection that fails mid-read is resumed the same way, a few
/// times. Every ranged GET sends <c>If-Match</c> with the first download's ETag, so bytes of two
/// versions are never mixed (permanent blobs never change, but this stream does not rely on it).
/// </summary>
internal sealed class BlobReadStream : Stream
{
    private const int MaxResumes = 3;

    private readonly BlobClient _blobs;
    private readonly string _name;
    private readonly string? _etag;
    private BlobDownload? _download;
    private long _downloadPosition;
    private long _position;
    private bool _disposed;

    public BlobReadStream(BlobClient blobs, string name, BlobDownload download)
    {
        _blobs = blobs;
        _name = name;
        _etag = download.ETag;
        _download = download;
        Length = download.TotalLength;
    }

    public override bool CanRead => !_disposed;
    public override bool CanSeek => !_disposed;
    public override bool CanWrite => false;
    public override long Length { get; }

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        if (target < 0)
        {
            throw new IOException("cannot seek before the start of the blob");
        }
        _position = target;
        return target;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty || _position >= Length)
        {
            return 0;
        }
        var limit = (int)Math.Min(buffer.Length, Length - _position);
        for (var resumes = 0; ; resumes++)
        {
            if (_download is null || _downloadPosition != _position)
            {
                await ReopenAsync(cancellationToken).ConfigureAwait(false);
            }
            int read;
            try
            {
                read = await _download!.Content.ReadAsync(buffer[..limit], cancellationToken).ConfigureAwait(false);
            }
            catch (IOException) when (resumes < MaxResumes && !cancellationToken.IsCancellationRequested)
            {
                await CloseDownloadAsync().ConfigureAwait(false);
                continue;
            }
            if (read == 0)
            {
                throw new IOException($"blob {_name} ended at byte {_position} of {Length}");
            }
            _position += read;
            _downloadPosition += read;
            return read;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Synchronous callers are served by blocking on the async path (there is no synchronous
    // storage client); ASP.NET Core and CopyToAsync use the async overloads.
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        _disposed = true;
        await CloseDownloadAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _disposed = true;
            _download?.Dispose();
            _download = null;
        }
        base.Dispose(disposing);
    }

    private async Task ReopenAsync(CancellationToken ct)
    {
        await CloseDownloadAsync().ConfigureAwait(false);
        try
        {
            _download = await _blobs.DownloadAsync(_name, new BlobRange(_position), _etag, ct).ConfigureAwait(false)
                ?? throw new IOException($"blob {_name} was deleted while being read");
        }
        catch (StorageConcurrencyException e)
        {
            throw new IOException($"blob {_name} changed while being read", e);
        }
        _downloadPosition = _position;
    }

    private async ValueTask CloseDownloadAsync()
    {
        if (_download is { } download)
        {
            _download = null;
            await download.DisposeAsync().ConfigureAwait(false);
        }
    }
}
