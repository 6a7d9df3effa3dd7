using BenchmarkDotNet.Attributes;
using Pds.Core.Cbor;
using Pds.Core.DataModel;
using Pds.Core.Ipld;

namespace Pds.Benchmarks;

/// <summary>
/// DAG-CBOR encode and decode of posts: a reply with facets and two langs (built from a JSON
/// literal through DataModelJson) and the short post the JS reference measures.
/// </summary>
[MemoryDiagnoser]
public class DagCborBenchmarks
{
    private DataMap _reply = null!;
    private byte[] _replyBytes = null!;
    private DataMap _simple = null!;
    private byte[] _simpleBytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        _reply = BenchData.ReplyPost();
        _replyBytes = DagCbor.Encode(_reply);
        _simple = BenchData.SimplePost();
        _simpleBytes = DagCbor.Encode(_simple);
    }

    [Benchmark]
    public byte[] EncodeReplyPost() => DagCbor.Encode(_reply);

    [Benchmark]
    public DataValue DecodeReplyPost() => DagCbor.Decode(_replyBytes);

    [Benchmark]
    public Cid EncodeAndCidReplyPost() => DagCbor.ComputeCid(_reply);

    [Benchmark]
    public byte[] EncodeSimplePost() => DagCbor.Encode(_simple);

    [Benchmark]
    public DataValue DecodeSimplePost() => DagCbor.Decode(_simpleBytes);

    /// <summary>JSON text to data model to DAG-CBOR: what a createRecord call does with its body.</summary>
    [Benchmark]
    public byte[] JsonToDagCborReplyPost() => DagCbor.Encode(BenchData.ReplyPost());
}
