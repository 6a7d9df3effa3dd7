using Pds.Core.Ipld;

namespace Pds.Core.Car;

/// <summary>
/// Reads CARv1 from untrusted input: a streaming reader over a <see cref="Stream"/>, and
/// <see cref="Read(ReadOnlyMemory{byte}, CarReaderOptions?)"/> for input already in memory.
/// Every declared length is checked against the limits before bytes are read or buffers
/// grow, and any malformed input surfaces as <see cref="CarFormatException"/>. Blocks may
/// come in any order and repeat; nothing checks that the roots are present.
/// </summary>
public sealed class CarReader
{
    private const int InitialBufferSize = 16 * 1024;

    // Below this much free tail space, move the unread bytes to the front before reading.
    private const int MinReadSize = 4 * 1024;

    private readonly Stream _stream;
    private readonly CarReaderOptions _options;
    private byte[] _buffer = new byte[InitialBufferSize];
    private int _start;
    private int _end;
    private bool _endOfStream;
    private long _position;
    private long _blockIndex;

    private CarReader(Stream stream, CarReaderOptions options)
    {
        _stream = stream;
        _options = options;
    }

    public IReadOnlyList<Cid> Roots { get; private set; } = [];

    /// <summary>Blocks returned so far.</summary>
    public long BlocksRead => _blockIndex;

    /// <summary>Bytes of the CAR consumed so far (header and returned blocks).</summary>
    public long Position => _position;

    private int Buffered => _end - _start;

    /// <summary>Reads and validates the header; the stream is left open and is not owned.</summary>
    public static async Task<CarReader> OpenAsync(
        Stream stream, CarReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var reader = new CarReader(stream, Resolve(options));
        await reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
        return reader;
    }

    /// <summary>The next block, or null once the stream ends cleanly between sections.</summary>
    public ValueTask<CarBlock?> ReadBlockAsync(CancellationToken cancellationToken = default)
    {
        // Sections are usually already buffered: decode them without an async state machine.
        try
        {
            return TryReadBuffered(out var block)
                ? new ValueTask<CarBlock?>(block)
                : ReadBlockSlowAsync(cancellationToken);
        }
        catch (CarFormatException e)
        {
            // Fault the task as the slow path would, rather than throwing at the call.
            return ValueTask.FromException<CarBlock?>(e);
        }
    }

    /// <summary>Reads a whole in-memory CAR; block data are slices of <paramref name="car"/>.</summary>
    public static CarFile Read(ReadOnlyMemory<byte> car, CarReaderOptions? options = null)
    {
        options = Resolve(options);
        var span = car.Span;
        var headerLength = CarSection.ReadLength(span, options.MaxHeaderLength, 0, CarSection.Header, out var prefix);
        CarSection.EnsureComplete(span.Length, prefix, headerLength, 0, CarSection.Header);
        var roots = CarHeader.Decode(span.Slice(prefix, headerLength), 0);

        var blocks = new Dictionary<Cid, ReadOnlyMemory<byte>>();
        var pos = prefix + headerLength;
        long index = 0;
        while (pos < span.Length)
        {
            CarSection.EnsureBlockAllowed(index, options.MaxBlocks, pos);
            var length = CarSection.ReadLength(span[pos..], options.MaxBlockLength, pos, index, out prefix);
            CarSection.EnsureComplete(span.Length - pos, prefix, length, pos, index);
            var start = pos + prefix;
            var cid = CarSection.ReadCid(span.Slice(start, length), options.VerifyBlockHashes, pos, index, out var cidLength);
            blocks.TryAdd(cid, car.Slice(start + cidLength, length - cidLength));
            pos = start + length;
            index++;
        }
        return new CarFile(roots, blocks, index);
    }

    public static CarFile Read(byte[] car, CarReaderOptions? options = null) =>
        Read(new ReadOnlyMemory<byte>(car), options);

    /// <summary>Copies <paramref name="car"/> once so the blocks can outlive the span.</summary>
    public static CarFile Read(ReadOnlySpan<byte> car, CarReaderOptions? options = null) =>
        Read(new ReadOnlyMemory<byte>(car.ToArray()), options);

    private static CarReaderOptions Resolve(CarReaderOptions? options)
    {
        options ??= CarReaderOptions.Default;
        options.Validate();
        return options;
    }

    private async Task ReadHeaderAsync(CancellationToken cancellationToken)
    {
        await FillAsync(Varint.MaxLength, cancellationToken).ConfigureAwait(false);
        var length = CarSection.ReadLength(
            _buffer.AsSpan(_start, Buffered), _options.MaxHeaderLength, 0, CarSection.Header, out var prefix);
        await FillAsync(prefix + length, cancellationToken).ConfigureAwait(false);
        CarSection.EnsureComplete(Buffered, prefix, length, 0, CarSection.Header);
        Roots = CarHeader.Decode(_buffer.AsSpan(_start + prefix, length), 0);
        Consume(prefix + length);
    }

    /// <summary>True with a result (a block, or null at the end) when no more input is needed.</summary>
    private bool TryReadBuffered(out CarBlock? block)
    {
        block = null;
        if (Buffered == 0)
        {
            return _endOfStream;
        }
        CarSection.EnsureBlockAllowed(_blockIndex, _options.MaxBlocks, _position);
        if (!CarSection.TryReadLength(
                _buffer.AsSpan(_start, Buffered), _endOfStream, _options.MaxBlockLength, _position, _blockIndex,
                out var length, out var prefix) ||
            Buffered - prefix < length)
        {
            return false;
        }
        block = TakeBlock(prefix, length);
        return true;
    }

    private async ValueTask<CarBlock?> ReadBlockSlowAsync(CancellationToken cancellationToken)
    {
        await FillAsync(Varint.MaxLength, cancellationToken).ConfigureAwait(false);
        if (Buffered == 0)
        {
            return null;
        }
        CarSection.EnsureBlockAllowed(_blockIndex, _options.MaxBlocks, _position);
        var length = CarSection.ReadLength(
            _buffer.AsSpan(_start, Buffered), _options.MaxBlockLength, _position, _blockIndex, out var prefix);
        await FillAsync(prefix + length, cancellationToken).ConfigureAwait(false);
        CarSection.EnsureComplete(Buffered, prefix, length, _position, _blockIndex);
        return TakeBlock(prefix, length);
    }

    private CarBlock TakeBlock(int prefix, int length)
    {
        var section = _buffer.AsSpan(_start + prefix, length);
        var cid = CarSection.ReadCid(section, _options.VerifyBlockHashes, _position, _blockIndex, out var cidLength);
        // Copy out: the buffer is reused for the next sections.
        var data = section[cidLength..].ToArray();
        Consume(prefix + length);
        _blockIndex++;
        return new CarBlock(cid, data);
    }

    private void Consume(int count)
    {
        _start += count;
        _position += count;
    }

    /// <summary>
    /// Buffers at least <paramref name="count"/> bytes or up to the end of the stream. The
    /// buffer grows only as bytes arrive, so a huge declared length in a short input costs
    /// little memory.
    /// </summary>
    private async ValueTask FillAsync(int count, CancellationToken cancellationToken)
    {
        while (Buffered < count && !_endOfStream)
        {
            if (_start > 0 && (_buffer.Length - _end < MinReadSize || _buffer.Length - _start < count))
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, Buffered);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, (int)Math.Min(_buffer.Length * 2L, count));
            }
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _endOfStream = true;
            }
            _end += read;
        }
    }
}
