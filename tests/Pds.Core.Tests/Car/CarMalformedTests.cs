using Pds.Core.Car;
using Pds.Core.Cbor;
using Pds.Core.DataModel;
using Pds.Core.Ipld;
using static Pds.Core.Tests.Car.CarTestData;

namespace Pds.Core.Tests.Car;

/// <summary>Malformed input for both readers: each must throw CarFormatException with the same message.</summary>
public class CarMalformedTests
{
    private static readonly byte[] ValidHeader = CarWriter.ToBytes(Roots(1), []);

    private static byte[] Hex(string hex) => Convert.FromHexString(hex);

    private static byte[] WithHeader(params byte[][] sections) => Concat([ValidHeader, .. sections]);

    private static byte[] CarWithHeaderValue(DataValue header)
    {
        var bytes = DagCbor.Encode(header);
        var prefix = new byte[Varint.MaxLength];
        var n = Varint.Write((ulong)bytes.Length, prefix);
        return Concat(prefix[..n], bytes);
    }

    private static DataValue RootsArray(params Cid[] cids) => new DataArray(cids.Select(DataValue.Of).ToArray());

    [Theory]
    [InlineData("", "length prefix: truncated varint")]
    [InlineData("00", "length 0 is not allowed")]
    [InlineData("ba00", "non-minimal varint")]                       // 58 padded to two bytes
    [InlineData("ffffffffffffffffff01", "longer than 9 bytes")]
    [InlineData("80808080808080804000", "length 4611686018427387904 exceeds the limit")] // 2^62 in 10 bytes
    [InlineData("3aa2", "declares 58 bytes but the input ends after 1")]
    [InlineData("0101", "header is not a map")]
    [InlineData("0aa16776657273696f6e02", "unsupported CAR version 2")] // the CARv2 pragma
    [InlineData("11a26776657273696f6e0165726f6f747380", "canonical order")]
    [InlineData("12a265726f6f7473806776657273696f6e0100", "trailing bytes")]
    public async Task Read_BadHeader_Throws(string hex, string reason)
    {
        var error = await ReadBothThrowsAsync(Hex(hex));

        Assert.Contains(reason, error.Message);
        Assert.StartsWith("CAR header at byte 0:", error.Message);
        Assert.Null(error.BlockIndex);
    }

    public static TheoryData<string, string> BadHeaderValues => new()
    {
        { "version2", "unsupported CAR version 2" },
        { "versionText", "no integer 'version'" },
        { "noVersion", "no integer 'version'" },
        { "noRoots", "no 'roots' array" },
        { "rootsNotArray", "no 'roots' array" },
        { "rootNotLink", "root 1 is not a CID link" },
        { "extraKey", "keys other than" },
        { "array", "not a map" },
    };

    [Theory]
    [MemberData(nameof(BadHeaderValues))]
    public async Task Read_HeaderWithWrongShape_Throws(string shape, string reason)
    {
        var root = Roots(1)[0];
        DataValue header = shape switch
        {
            "version2" => DataMap.Create(("roots", RootsArray(root)), ("version", DataValue.Of(2))),
            "versionText" => DataMap.Create(("roots", RootsArray(root)), ("version", DataValue.Of("1"))),
            "noVersion" => DataMap.Create(("roots", RootsArray(root))),
            "noRoots" => DataMap.Create(("version", DataValue.Of(1))),
            "rootsNotArray" => DataMap.Create(("roots", DataValue.Of(root)), ("version", DataValue.Of(1))),
            "rootNotLink" => DataMap.Create(
                ("roots", new DataArray([DataValue.Of(root), DataValue.Of(root.ToString())])), ("version", DataValue.Of(1))),
            "extraKey" => DataMap.Create(
                ("roots", RootsArray(root)), ("version", DataValue.Of(1)), ("extra", DataValue.Of(1))),
            _ => new DataArray([RootsArray(root), DataValue.Of(1)]),
        };

        var error = await ReadBothThrowsAsync(CarWithHeaderValue(header));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public async Task Read_HeaderOverLimit_Throws()
    {
        var error = await ReadBothThrowsAsync(CarWriter.ToBytes(Roots(3), []), new CarReaderOptions { MaxHeaderLength = 100 });

        Assert.Contains("exceeds the limit of 100", error.Message);
    }

    [Theory]
    [InlineData("00", "length 0 is not allowed")]
    [InlineData("ff", "length prefix: truncated varint")]
    [InlineData("a500", "non-minimal varint")]
    [InlineData("80808080808080804000", "length 4611686018427387904 exceeds the limit")]
    [InlineData("ffffffffffffffffff01", "longer than 9 bytes")]
    [InlineData("2501711220", "declares 37 bytes but the input ends after 4")]
    [InlineData("0401711220", "invalid CID in a 4-byte section: truncated CID digest")]
    [InlineData("0101", "invalid CID in a 1-byte section")]
    [InlineData("22" + "1220" + "00000000000000000000000000000000" + "00000000000000000000000000000000", "CIDv0 is not allowed")]
    public async Task Read_BadFirstSection_ThrowsWithIndexAndOffset(string hex, string reason)
    {
        var error = await ReadBothThrowsAsync(WithHeader(Hex(hex)));

        Assert.Contains(reason, error.Message);
        Assert.Equal(0, error.BlockIndex);
        Assert.Equal(ValidHeader.Length, error.Offset);
        Assert.StartsWith($"CAR block 0 at byte {ValidHeader.Length}:", error.Message);
    }

    [Fact]
    public async Task ReadBlockAsync_BadBufferedSection_FaultsTheTaskInsteadOfThrowing()
    {
        var reader = await CarReader.OpenAsync(new MemoryStream(WithHeader(Hex("00"))));

        var pending = reader.ReadBlockAsync();

        await Assert.ThrowsAsync<CarFormatException>(() => pending.AsTask());
    }

    [Fact]
    public async Task Read_TamperedBlock_ThrowsNamingTheBlock()
    {
        var blocks = Blocks(3);
        var car = CarWriter.ToBytes(Roots(1), blocks);
        var secondBlockEnd = CarWriter.ToBytes(Roots(1), blocks.Take(2)).Length;
        car[secondBlockEnd - 1] ^= 0x01;

        var error = await ReadBothThrowsAsync(car);

        Assert.Contains("block bytes do not match " + blocks[1].Cid, error.Message);
        Assert.Equal(1, error.BlockIndex);
        Assert.Equal(CarWriter.ToBytes(Roots(1), blocks.Take(1)).Length, error.Offset);
    }

    [Fact]
    public async Task Read_TamperedBlockWithoutVerification_IsAccepted()
    {
        var car = CarWriter.ToBytes(Roots(1), Blocks(1));
        car[^1] ^= 0x01;

        Assert.Null(await ReadBothAsync(car, new CarReaderOptions { VerifyBlockHashes = false }));
    }

    [Fact]
    public async Task Read_NonSha256Cid_RejectedAsUnsupported()
    {
        var cid = Cid.FromBytes(Hex("01551e20" + new string('a', 64))); // blake3
        var car = CarWriter.ToBytes(Roots(1), [new CarBlock(cid, new byte[] { 1 })]);

        var error = await ReadBothThrowsAsync(car);

        Assert.Contains("unsupported multihash 0x1e", error.Message);
    }

    [Fact]
    public async Task Read_BlockOverLimit_Throws()
    {
        var car = CarWriter.ToBytes(Roots(1), [RawBlock(new byte[1000])]);

        var error = await ReadBothThrowsAsync(car, new CarReaderOptions { MaxBlockLength = 999 });

        Assert.Contains("length 1036 exceeds the limit of 999", error.Message);
    }

    [Fact]
    public async Task Read_MoreBlocksThanAllowed_Throws()
    {
        var car = CarWriter.ToBytes(Roots(1), Blocks(4));

        Assert.Null(await ReadBothAsync(car, new CarReaderOptions { MaxBlocks = 4 }));
        var error = await ReadBothThrowsAsync(car, new CarReaderOptions { MaxBlocks = 3 });
        Assert.Contains("more than 3 blocks", error.Message);
        Assert.Equal(3, error.BlockIndex);
    }

    [Theory]
    [InlineData("01")]
    [InlineData("ff")]
    [InlineData("0000")]
    [InlineData("deadbeef")]
    public async Task Read_TrailingGarbage_Throws(string garbage)
    {
        var valid = CarWriter.ToBytes(Roots(1), Blocks(2));

        var error = await ReadBothThrowsAsync(Concat(valid, Hex(garbage)));

        Assert.Equal(2, error.BlockIndex);
        Assert.Equal(valid.Length, error.Offset);
    }

    [Fact]
    public async Task Read_TruncatedAtEveryOffset_ThrowsUnlessAtSectionBoundary()
    {
        var blocks = Blocks(4);
        var roots = Roots(2);
        var car = CarWriter.ToBytes(roots, blocks);
        var boundaries = Enumerable.Range(0, blocks.Count + 1)
            .ToDictionary(k => CarWriter.ToBytes(roots, blocks.Take(k)).Length, k => k);

        for (var length = 0; length <= car.Length; length++)
        {
            var prefix = car[..length];
            foreach (var chunk in new[] { 1, 3, int.MaxValue })
            {
                var error = await ReadBothAsync(prefix, chunk: chunk);
                if (boundaries.TryGetValue(length, out var count))
                {
                    Assert.Null(error);
                    Assert.Equal(count, CarReader.Read(prefix).SectionCount);
                }
                else
                {
                    Assert.NotNull(error);
                }
            }
        }
    }

    [Fact]
    public async Task ReadAsync_HugeDeclaredLengthInShortInput_AllocatesLittle()
    {
        // A permissive limit, so only the reader's own care keeps memory proportional to the input.
        var options = new CarReaderOptions { MaxBlockLength = 1 << 30 };
        var car = WithHeader(Hex("8080808004"), new byte[10]); // declares 2^30

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = await Assert.ThrowsAsync<CarFormatException>(() => ReadAllAsync(new MemoryStream(car), options));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("declares 1073741824 bytes but the input ends after 10", error.Message);
        Assert.InRange(allocated, 0, 1 << 20);
    }

    [Fact]
    public void Read_HugeDeclaredLengthInMemory_AllocatesLittle()
    {
        var options = new CarReaderOptions { MaxBlockLength = 1 << 30 };
        var car = WithHeader(Hex("8080808004"), new byte[10]);

        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<CarFormatException>(() => CarReader.Read(car, options));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.InRange(allocated, 0, 1 << 20);
    }

    [Fact]
    public void Read_InvalidOptions_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CarReader.Read(ValidHeader, new CarReaderOptions { MaxBlockLength = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => CarReader.Read(ValidHeader, new CarReaderOptions { MaxHeaderLength = int.MaxValue }));
        Assert.Throws<ArgumentOutOfRangeException>(() => CarReader.Read(ValidHeader, new CarReaderOptions { MaxBlocks = -1 }));
    }
}
