using BenchmarkDotNet.Attributes;
using Pds.Core.Ipld;
using Pds.Core.Mst;

namespace Pds.Benchmarks;

/// <summary>
/// Merkle Search Tree work over keys shaped <c>app.bsky.feed.post/&lt;tid&gt;</c>: a bulk
/// build with every node encoded and hashed, and 1,000 inserts into an existing tree of
/// <see cref="Keys"/> keys (newer TIDs, the usual PDS pattern; and TIDs scattered between the
/// existing ones, the worst case for path copying), each followed by a commit.
/// </summary>
[MemoryDiagnoser]
public class MstBenchmarks
{
    private const int Inserts = 1_000;

    private KeyValuePair<byte[], Cid>[] _items = null!;
    private KeyValuePair<byte[], Cid>[] _newer = null!;
    private KeyValuePair<byte[], Cid>[] _scattered = null!;
    private Mst _tree = null!;

    [Params(10_000, 100_000)]
    public int Keys { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _items = BenchData.MstItems(Keys);
        // Newer: the next 1,000 seconds of posts. Scattered: same timestamps as every
        // (Keys/1000)th existing key, but another clock id, so they fall between existing keys.
        _newer = BenchData.MstItems(Inserts, offset: Keys);
        var step = Keys / Inserts;
        _scattered = new KeyValuePair<byte[], Cid>[Inserts];
        for (var i = 0; i < Inserts; i++)
        {
            _scattered[i] = new(System.Text.Encoding.UTF8.GetBytes(BenchData.RecordPath((long)i * step, clockId: 7)), _items[i].Value);
        }
        _tree = MstBuilder.Build(_items);
        _tree.Commit();
    }

    /// <summary>Bulk build of the whole key set, then the root CID (every node encoded and hashed).</summary>
    [Benchmark]
    public Cid BuildAndCommit() => MstBuilder.Build(_items).Commit();

    /// <summary>1,000 AddAsync calls of newer keys on a fork of the in-memory tree, then one commit.</summary>
    [Benchmark]
    public async Task<Cid> Add1000NewerAndCommit() => await AddAndCommitAsync(_newer);

    /// <summary>1,000 AddAsync calls of keys spread over the whole range, then one commit.</summary>
    [Benchmark]
    public async Task<Cid> Add1000ScatteredAndCommit() => await AddAndCommitAsync(_scattered);

    private async Task<Cid> AddAndCommitAsync(KeyValuePair<byte[], Cid>[] inserts)
    {
        var tree = _tree.Fork();
        foreach (var (key, value) in inserts)
        {
            await tree.AddAsync(key, value);
        }
        return tree.Commit();
    }
}
