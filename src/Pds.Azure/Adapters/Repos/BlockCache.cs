using Pds.Core.Ipld;

namespace Pds.Azure.Adapters.Repos;

/// <summary>
/// Blocks are immutable and content-addressed, so a process may keep any block it has read or
/// written for as long as it likes: this is what makes a warm write cost no block reads (the
/// tree path a commit edits was written or read by the previous commit). Keyed by (did, cid)
/// because a block is only "in" the repositories that wrote it, and forgotten when the repository
/// deletes it. Least recently used entries go
/// first once <see cref="CapacityBytes"/> is reached.
/// </summary>
public sealed class BlockCache(long capacityBytes)
{
    private readonly Dictionary<(string Did, Cid Cid), LinkedListNode<Entry>> _map = [];
    private readonly LinkedList<Entry> _order = new();
    private readonly Lock _lock = new();
    private long _bytes;

    public long CapacityBytes { get; } = capacityBytes;

    public long SizeBytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    public bool TryGet(string did, Cid cid, out byte[] data)
    {
        lock (_lock)
        {
            if (_map.TryGetValue((did, cid), out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                data = node.Value.Data;
                return true;
            }
        }
        data = [];
        return false;
    }

    public void Put(string did, Cid cid, byte[] data)
    {
        // One block bigger than a quarter of the cache would evict too much to be worth keeping.
        if (data.Length > CapacityBytes / 4)
        {
            return;
        }
        lock (_lock)
        {
            if (_map.ContainsKey((did, cid)))
            {
                return;
            }
            var node = _order.AddFirst(new Entry(did, cid, data));
            _map[(did, cid)] = node;
            _bytes += Cost(data);
            while (_bytes > CapacityBytes && _order.Last is { } last)
            {
                _order.RemoveLast();
                _map.Remove((last.Value.Did, last.Value.Cid));
                _bytes -= Cost(last.Value.Data);
            }
        }
    }

    /// <summary>Forgets a block the repository deleted, so it is no longer served from here.</summary>
    public void Remove(string did, Cid cid)
    {
        lock (_lock)
        {
            if (_map.Remove((did, cid), out var node))
            {
                _order.Remove(node);
                _bytes -= Cost(node.Value.Data);
            }
        }
    }

    /// <summary>Forgets a repository (it was deleted; its DID may come back with other blocks).</summary>
    public void RemoveRepo(string did)
    {
        lock (_lock)
        {
            foreach (var key in _map.Keys.Where(k => k.Did == did).ToList())
            {
                var node = _map[key];
                _order.Remove(node);
                _map.Remove(key);
                _bytes -= Cost(node.Value.Data);
            }
        }
    }

    /// <summary>Bytes plus a rough per-entry overhead (node, key, array header).</summary>
    private static long Cost(byte[] data) => data.Length + 128;

    private sealed record Entry(string Did, Cid Cid, byte[] Data);
}
