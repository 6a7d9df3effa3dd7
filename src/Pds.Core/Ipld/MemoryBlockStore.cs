using System.Collections.Concurrent;

namespace Pds.Core.Ipld;

/// <summary>An in-memory block map; safe for concurrent readers and writers.</summary>
public sealed class MemoryBlockStore : IBlockReader
{
    private readonly ConcurrentDictionary<Cid, ReadOnlyMemory<byte>> _blocks = new();

    public int Count => _blocks.Count;

    public IEnumerable<KeyValuePair<Cid, ReadOnlyMemory<byte>>> Blocks => _blocks;

    public void Put(Cid cid, ReadOnlyMemory<byte> bytes) => _blocks[cid] = bytes;

    public void Put(Cid cid, byte[] bytes) => _blocks[cid] = bytes;

    public Cid PutDagCbor(byte[] bytes)
    {
        var cid = Cid.ForDagCbor(bytes);
        _blocks[cid] = bytes;
        return cid;
    }

    public bool Contains(Cid cid) => _blocks.ContainsKey(cid);

    public bool TryGet(Cid cid, out ReadOnlyMemory<byte> bytes) => _blocks.TryGetValue(cid, out bytes);

    public ValueTask<ReadOnlyMemory<byte>?> GetBlockAsync(Cid cid, CancellationToken cancellationToken = default) =>
        new(_blocks.TryGetValue(cid, out var b) ? b : (ReadOnlyMemory<byte>?)null);
}
