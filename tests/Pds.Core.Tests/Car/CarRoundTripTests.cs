using Pds.Core.Car;
using Pds.Core.Ipld;
using static Pds.Core.Tests.Car.CarTestData;

namespace Pds.Core.Tests.Car;

public class CarRoundTripTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(1, 3)]
    [InlineData(200, 2)]
    [InlineData(0, 0)]
    public void ToBytes_ThenRead_ReturnsRootsAndBlocks(int blockCount, int rootCount)
    {
        var roots = Roots(rootCount);
        var blocks = Blocks(blockCount);

        var file = CarReader.Read(CarWriter.ToBytes(roots, blocks));

        Assert.Equal(roots, file.Roots);
        Assert.Equal(blockCount, file.SectionCount);
        Assert.Equal(blockCount, file.Blocks.Count);
        foreach (var block in blocks)
        {
            Assert.True(file.TryGetBlock(block.Cid, out var data));
            Assert.Equal(block.Data.ToArray(), data.ToArray());
        }
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(200, 1)]
    [InlineData(200, 7)]
    [InlineData(200, int.MaxValue)]
    public async Task WriterStream_ThenReadAsync_ReturnsBlocksInOrder(int blockCount, int chunk)
    {
        var roots = Roots(2);
        var blocks = Blocks(blockCount);
        var stream = new MemoryStream();
        await using (var writer = await CarWriter.CreateAsync(stream, roots))
        {
            foreach (var block in blocks)
            {
                await writer.WriteBlockAsync(block.Cid, block.Data);
            }
        }

        var (readRoots, readBlocks) = await ReadAllAsync(new TrickleStream(stream.ToArray(), chunk));

        Assert.Equal(roots, readRoots);
        Assert.Equal(blocks.Select(b => b.Cid), readBlocks.Select(b => b.Cid));
        Assert.Equal(blocks.Select(b => b.Data.ToArray()), readBlocks.Select(b => b.Data.ToArray()));
    }

    [Fact]
    public async Task WriterStream_LargeAndSmallBlocks_MatchesToBytes()
    {
        var big = new byte[100_000];
        new Random(7).NextBytes(big);
        var blocks = Blocks(50);
        blocks.Insert(10, RawBlock(big));
        blocks.Add(RawBlock(big[..40_000]));
        var roots = Roots(1);
        var stream = new MemoryStream();

        var writer = await CarWriter.CreateAsync(stream, roots);
        foreach (var block in blocks)
        {
            await writer.WriteBlockAsync(block.Cid, block.Data);
        }
        await writer.FlushAsync();

        var expected = CarWriter.ToBytes(roots, blocks);
        Assert.Equal(expected, stream.ToArray());
        Assert.Equal(expected.Length, writer.Length);
        Assert.Equal(blocks.Count, writer.BlocksWritten);
    }

    [Fact]
    public async Task ReadAsync_BlockLargerThanBuffer_IsReadWhole()
    {
        var big = new byte[1_500_000];
        new Random(3).NextBytes(big);
        var blocks = new List<CarBlock> { DagCborBlock(1), RawBlock(big), DagCborBlock(2) };
        var car = CarWriter.ToBytes(Roots(1), blocks);

        var (_, read) = await ReadAllAsync(new TrickleStream(car, 5000));

        Assert.Equal(big, read[1].Data.ToArray());
        Assert.Equal(blocks.Select(b => b.Cid), read.Select(b => b.Cid));
    }

    [Fact]
    public async Task WriteBlockAsync_SmallBlocks_BuffersInsteadOfWritingEachSection()
    {
        var stream = new CountingStream();
        var writer = await CarWriter.CreateAsync(stream, Roots(1));
        foreach (var block in Blocks(100))
        {
            await writer.WriteBlockAsync(block.Cid, block.Data);
        }
        Assert.Equal(0, stream.Writes);

        await writer.FlushAsync();

        Assert.Equal(1, stream.Writes);
        Assert.Equal(100, CarReader.Read(stream.ToArray()).SectionCount);
    }

    [Fact]
    public void Read_Span_CopiesSoBlocksOutliveInput()
    {
        var block = DagCborBlock(5);
        var car = CarWriter.ToBytes(Roots(1), [block]);

        var file = CarReader.Read((ReadOnlySpan<byte>)car);
        Array.Clear(car);

        Assert.True(file.TryGetBlock(block.Cid, out var data));
        Assert.Equal(block.Data.ToArray(), data.ToArray());
    }

    [Fact]
    public void Read_Memory_SlicesInput()
    {
        var block = DagCborBlock(5);
        var car = CarWriter.ToBytes(Roots(1), [block]);

        var file = CarReader.Read(car);

        Assert.True(file.TryGetBlock(block.Cid, out var data));
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out var segment));
        Assert.Same(car, segment.Array);
    }

    [Fact]
    public async Task Read_DuplicateAndUnorderedBlocks_AreTolerated()
    {
        var blocks = Blocks(5);
        var shuffled = new List<CarBlock> { blocks[3], blocks[0], blocks[3], blocks[4], blocks[1], blocks[0], blocks[2] };
        var car = CarWriter.ToBytes([blocks[2].Cid], shuffled);

        Assert.Null(await ReadBothAsync(car));
        var file = CarReader.Read(car);
        Assert.Equal(7, file.SectionCount);
        Assert.Equal(5, file.Blocks.Count);
        var (_, streamed) = await ReadAllAsync(new MemoryStream(car));
        Assert.Equal(shuffled.Select(b => b.Cid), streamed.Select(b => b.Cid));
    }

    [Fact]
    public void Read_RootNotInBlocks_IsAccepted()
    {
        // Whether roots are present is for the caller (a repo import checks its commit).
        var file = CarReader.Read(CarWriter.ToBytes(Roots(1), Blocks(2)));

        Assert.False(file.TryGetBlock(file.Roots[0], out _));
    }

    [Fact]
    public void ToBytes_BlockWithoutCid_Throws()
    {
        Assert.Throws<ArgumentException>(() => CarWriter.ToBytes(Roots(1), [default(CarBlock)]));
    }

    [Fact]
    public async Task WriteBlockAsync_AfterDispose_Throws()
    {
        var writer = await CarWriter.CreateAsync(new MemoryStream(), Roots(1));
        await writer.DisposeAsync();
        var block = DagCborBlock(1);

        await Assert.ThrowsAsync<ObjectDisposedException>(() => writer.WriteBlockAsync(block.Cid, block.Data).AsTask());
    }

    [Fact]
    public void Read_NonSha256Cid_AcceptedWhenNotVerifying()
    {
        var data = new byte[] { 1, 2, 3 };
        var cid = Cid.FromBytes(Convert.FromHexString("01551e20" + new string('a', 64))); // blake3
        var car = CarWriter.ToBytes([cid], [new CarBlock(cid, data)]);

        var file = CarReader.Read(car, new CarReaderOptions { VerifyBlockHashes = false });

        Assert.True(file.TryGetBlock(cid, out var read));
        Assert.Equal(data, read.ToArray());
    }
}
