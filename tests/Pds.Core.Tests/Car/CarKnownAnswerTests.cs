using Pds.Core.Car;
using Pds.Core.Ipld;

namespace Pds.Core.Tests.Car;

/// <summary>Bytes worked out by hand from the CARv1 and DAG-CBOR specs, not from this code.</summary>
public class CarKnownAnswerTests
{
    // sha2-256 of the one byte a0 (the empty DAG-CBOR map) and of "hi".
    private const string EmptyMapDigest = "c19a797fa1fd590cd2e5b42d1cf5f246e29b91684e2f87404b81dc345c7a56a0";
    private const string HiDigest = "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4";

    private const string EmptyMapCid = "01711220" + EmptyMapDigest; // CIDv1, dag-cbor, sha2-256, 32 bytes
    private const string HiCid = "01551220" + HiDigest;             // CIDv1, raw, sha2-256, 32 bytes

    private const string TinyCar =
        "3a" +                          // header length 58
        "a2" +                          // map(2)
        "65" + "726f6f7473" +           // "roots"
        "81" +                          // array(1)
        "d82a" + "5825" + "00" +        // tag 42, bytes(37), identity multibase prefix
        EmptyMapCid +
        "67" + "76657273696f6e" +       // "version"
        "01" +                          // 1
        "25" + EmptyMapCid + "a0" +     // section of 37: CID + {}
        "26" + HiCid + "6869";          // section of 38: CID + "hi"

    [Fact]
    public void ToBytes_TinyCar_MatchesHandDerivedBytes()
    {
        var root = Cid.ForDagCbor([0xa0]);
        var hi = Cid.ForRaw("hi"u8);

        var car = CarWriter.ToBytes([root], [new CarBlock(root, new byte[] { 0xa0 }), new CarBlock(hi, "hi"u8.ToArray())]);

        Assert.Equal(TinyCar, Convert.ToHexString(car), ignoreCase: true);
    }

    [Fact]
    public void ToBytes_NoRoots_WritesCanonicalEmptyHeader()
    {
        var car = CarWriter.ToBytes([], []);

        Assert.Equal("11" + "a2" + "65726f6f7473" + "80" + "6776657273696f6e" + "01", Convert.ToHexString(car), ignoreCase: true);
    }

    [Fact]
    public async Task Read_TinyCar_YieldsHandDerivedBlocks()
    {
        var bytes = Convert.FromHexString(TinyCar);

        var file = CarReader.Read(bytes);
        var (roots, blocks) = await CarTestData.ReadAllAsync(new MemoryStream(bytes));

        var root = Cid.FromBytes(Convert.FromHexString(EmptyMapCid));
        var hi = Cid.FromBytes(Convert.FromHexString(HiCid));
        Assert.Equal([root], file.Roots);
        Assert.Equal([root], roots);
        Assert.True(file.TryGetBlock(hi, out var data));
        Assert.Equal("hi"u8.ToArray(), data.ToArray());
        Assert.Equal([root, hi], blocks.Select(b => b.Cid));
        Assert.Equal(new byte[] { 0xa0 }, blocks[0].Data.ToArray());
    }
}
