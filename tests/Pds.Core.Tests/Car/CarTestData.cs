using Pds.Core.Car;
using Pds.Core.Cbor;
using Pds.Core.DataModel;
using Pds.Core.Ipld;

namespace Pds.Core.Tests.Car;

/// <summary>Blocks, streams and reading helpers shared by the CAR tests.</summary>
internal static class CarTestData
{
    public static CarBlock DagCborBlock(long n)
    {
        var bytes = DagCbor.Encode(DataMap.Create(("n", DataValue.Of(n)), ("text", DataValue.Of($"block {n}"))));
        return new CarBlock(Cid.ForDagCbor(bytes), bytes);
    }

    public static CarBlock RawBlock(byte[] bytes) => new(Cid.ForRaw(bytes), bytes);

    /// <summary>Distinct small dag-cbor and raw blocks (one of them empty), deterministic for a seed.</summary>
    public static List<CarBlock> Blocks(int count, int seed = 1)
    {
        var random = new Random(seed);
        var blocks = new List<CarBlock>(count);
        for (var i = 0; i < count; i++)
        {
            if (i % 3 == 2)
            {
                var raw = new byte[i == 2 ? 0 : random.Next(1, 300)];
                random.NextBytes(raw);
                blocks.Add(RawBlock(raw));
            }
            else
            {
                blocks.Add(DagCborBlock(random.NextInt64()));
            }
        }
        return blocks;
    }

    public static Cid[] Roots(int count) =>
        Enumerable.Range(0, count).Select(i => DagCborBlock(-1 - i).Cid).ToArray();

    /// <summary>Everything a streaming read yields; throws what the reader throws.</summary>
    public static async Task<(IReadOnlyList<Cid> Roots, List<CarBlock> Blocks)> ReadAllAsync(
        Stream stream, CarReaderOptions? options = null)
    {
        var reader = await CarReader.OpenAsync(stream, options);
        var blocks = new List<CarBlock>();
        while (await reader.ReadBlockAsync() is { } block)
        {
            blocks.Add(block);
        }
        Assert.Null(await reader.ReadBlockAsync());
        return (reader.Roots, blocks);
    }

    /// <summary>
    /// Reads <paramref name="car"/> with both readers and requires them to agree: either the
    /// same roots and distinct blocks, or a CarFormatException with the same message. Any
    /// other exception escapes and fails the test.
    /// </summary>
    public static async Task<CarFormatException?> ReadBothAsync(byte[] car, CarReaderOptions? options = null, int chunk = int.MaxValue)
    {
        CarFile? file = null;
        CarFormatException? memoryError = null;
        try
        {
            file = CarReader.Read(car, options);
        }
        catch (CarFormatException e)
        {
            memoryError = e;
        }

        (IReadOnlyList<Cid> Roots, List<CarBlock> Blocks)? streamed = null;
        CarFormatException? streamError = null;
        try
        {
            streamed = await ReadAllAsync(new TrickleStream(car, chunk), options);
        }
        catch (CarFormatException e)
        {
            streamError = e;
        }

        Assert.Equal(memoryError?.Message, streamError?.Message);
        if (file is not null && streamed is { } s)
        {
            Assert.Equal(file.Roots, s.Roots);
            Assert.Equal(file.SectionCount, s.Blocks.Count);
            foreach (var block in s.Blocks)
            {
                Assert.True(file.TryGetBlock(block.Cid, out _));
            }
            Assert.Equal(file.Blocks.Count, s.Blocks.Select(b => b.Cid).Distinct().Count());
        }
        return memoryError;
    }

    public static async Task<CarFormatException> ReadBothThrowsAsync(byte[] car, CarReaderOptions? options = null)
    {
        var error = await ReadBothAsync(car, options);
        Assert.NotNull(error);
        return error;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}

/// <summary>A read-only, non-seekable stream that hands out at most a few bytes per read.</summary>
internal sealed class TrickleStream(byte[] data, int chunk) : Stream
{
    private int _pos;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = Math.Min(Math.Min(buffer.Length, chunk), data.Length - _pos);
        data.AsSpan(_pos, n).CopyTo(buffer);
        _pos += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(Read(buffer.Span));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>A memory stream that counts async writes (MemoryStream forwards them to its sync Write).</summary>
internal sealed class CountingStream : MemoryStream
{
    public int Writes { get; private set; }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Writes++;
        return base.WriteAsync(buffer, cancellationToken);
    }
}
