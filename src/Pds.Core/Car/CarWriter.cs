using Pds.Core.Ipld;

namespace Pds.Core.Car;

/// <summary>
/// Writes CARv1 to a <see cref="Stream"/> through an internal buffer, so small sections
/// cost no stream call each. Call <see cref="FlushAsync"/> or <see cref="DisposeAsync"/>
/// when done; the stream is left open and is not owned. Blocks are written as given:
/// their hashes are the caller's to get right. <see cref="ToBytes"/> builds a whole CAR
/// in one array.
/// </summary>
public sealed class CarWriter : IAsyncDisposable
{
    private const int BufferSize = 32 * 1024;

    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _buffered;
    private bool _disposed;

    private CarWriter(Stream stream)
    {
        _stream = stream;
    }

    /// <summary>Bytes of the CAR written so far, buffered ones included.</summary>
    public long Length { get; private set; }

    public long BlocksWritten { get; private set; }

    /// <summary>Starts a CAR; the header is buffered, not yet written to the stream.</summary>
    public static async Task<CarWriter> CreateAsync(
        Stream stream, IReadOnlyList<Cid> roots, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = CarHeader.Encode(roots);
        var writer = new CarWriter(stream);
        await writer.WriteSectionAsync(null, header, cancellationToken).ConfigureAwait(false);
        return writer;
    }

    public ValueTask WriteBlockAsync(Cid cid, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        ObjectDisposedException.ThrowIf(_disposed, this);
        BlocksWritten++;
        return WriteSectionAsync(cid, data, cancellationToken);
    }

    /// <summary>Writes the buffered bytes and flushes the stream.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await WriteBufferAsync(cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Encodes a whole CAR into one exactly sized array.</summary>
    public static byte[] ToBytes(IReadOnlyList<Cid> roots, IEnumerable<CarBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var header = CarHeader.Encode(roots);
        var list = blocks as IReadOnlyList<CarBlock> ?? [.. blocks];
        var total = CarSection.EncodedLength(null, header.Length);
        for (var i = 0; i < list.Count; i++)
        {
            var block = list[i];
            total += CarSection.EncodedLength(block.Cid ?? throw NullCid(i), block.Data.Length);
        }
        if (total > Array.MaxLength)
        {
            throw new ArgumentException($"a CAR of {total} bytes does not fit in one array", nameof(blocks));
        }
        var bytes = new byte[total];
        var pos = CarSection.Write(bytes, null, header);
        for (var i = 0; i < list.Count; i++)
        {
            pos += CarSection.Write(bytes.AsSpan(pos), list[i].Cid, list[i].Data.Span);
        }
        return bytes;
    }

    private static ArgumentException NullCid(int index) =>
        new($"block {index} has no CID", "blocks");

    private ValueTask WriteSectionAsync(Cid? cid, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var size = CarSection.EncodedLength(cid, payload.Length);
        Length += size;
        if (size > _buffer.Length - _buffered)
        {
            return WriteSectionSlowAsync(cid, payload, cancellationToken);
        }
        _buffered += CarSection.Write(_buffer.AsSpan(_buffered), cid, payload.Span);
        return ValueTask.CompletedTask;
    }

    private async ValueTask WriteSectionSlowAsync(Cid? cid, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await WriteBufferAsync(cancellationToken).ConfigureAwait(false);
        // A prefix (varint and CID) always fits in an empty buffer; a large payload goes straight to the stream.
        _buffered = CarSection.WritePrefix(_buffer, cid, payload.Length);
        if (payload.Length <= _buffer.Length - _buffered)
        {
            payload.Span.CopyTo(_buffer.AsSpan(_buffered));
            _buffered += payload.Length;
            return;
        }
        await WriteBufferAsync(cancellationToken).ConfigureAwait(false);
        await _stream.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask WriteBufferAsync(CancellationToken cancellationToken)
    {
        if (_buffered == 0)
        {
            return;
        }
        await _stream.WriteAsync(_buffer.AsMemory(0, _buffered), cancellationToken).ConfigureAwait(false);
        _buffered = 0;
    }
}
