using BenchmarkDotNet.Attributes;
using Pds.Core.Cbor;
using Pds.Core.DataModel;
using Pds.Core.Ipld;

namespace Pds.Benchmarks;

/// <summary>
/// CID computation over a ~300-byte DAG-CBOR block, and the string and binary forms.
/// Cid caches its string, so ToString is measured on a fresh instance (FromBytes + ToString).
/// </summary>
[MemoryDiagnoser]
public class CidBenchmarks
{
    private byte[] _block = null!;
    private byte[] _cidBytes = null!;
    private string _cidString = null!;

    [GlobalSetup]
    public void Setup()
    {
        // A post whose text brings the encoded block to about 300 bytes.
        var text = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 5));
        _block = DagCbor.Encode(DataMap.Create(
            ("$type", DataValue.Of("app.bsky.feed.post")),
            ("text", DataValue.Of(text)),
            ("createdAt", DataValue.Of("2024-03-01T12:34:56.789Z")),
            ("langs", new DataArray([DataValue.Of("en")]))));
        if (_block.Length is < 280 or > 320)
        {
            throw new InvalidOperationException($"block is {_block.Length} bytes, expected about 300");
        }
        var cid = Cid.ForDagCbor(_block);
        _cidBytes = cid.Bytes.ToArray();
        _cidString = cid.ToString();
    }

    [Benchmark]
    public Cid ForDagCbor() => Cid.ForDagCbor(_block);

    [Benchmark]
    public Cid Parse() => Cid.Parse(_cidString);

    [Benchmark]
    public Cid FromBytes() => Cid.FromBytes(_cidBytes);

    [Benchmark]
    public string FromBytesAndToString() => Cid.FromBytes(_cidBytes).ToString();
}
