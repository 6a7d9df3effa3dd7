using Pds.Core.Cbor;
using Pds.Core.Ipld;

namespace Pds.Core.Mst;

/// <summary>
/// One immutable tree node at a known height: a left subtree, then entries in key order,
/// each with the subtree to its right. Every child sits exactly one layer lower. Nodes are
/// never mutated, so old roots stay valid and decoded nodes can be shared.
/// </summary>
internal sealed class MstNode
{
    public static readonly MstEntry[] NoEntries = [];

    private Cid? _cid;

    public MstNode(int height, MstRef? left, MstEntry[] entries, Cid? knownCid = null)
    {
        Height = height;
        Left = left;
        Entries = entries;
        _cid = knownCid;
    }

    public int Height { get; }
    public MstRef? Left { get; }
    public MstEntry[] Entries { get; }

    public bool IsEmpty => Entries.Length == 0 && Left is null;

    /// <summary>The CID, if known without encoding (loaded nodes, or already committed ones).</summary>
    public Cid? KnownCid => _cid;

    /// <summary>The subtree between entry i-1 and entry i (i = 0 is the left subtree).</summary>
    public MstRef? ChildAt(int gap) => gap == 0 ? Left : Entries[gap - 1].Right;

    /// <summary>A copy with the subtree in gap <paramref name="gap"/> replaced.</summary>
    public MstNode WithChild(int gap, MstRef? child)
    {
        if (gap == 0)
        {
            return new MstNode(Height, child, Entries);
        }
        var entries = (MstEntry[])Entries.Clone();
        entries[gap - 1] = entries[gap - 1] with { Right = child };
        return new MstNode(Height, Left, entries);
    }

    /// <summary>First index whose key is &gt;= key (binary search over bytewise order).</summary>
    public int LowerBound(ReadOnlySpan<byte> key)
    {
        int lo = 0, hi = Entries.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Entries[mid].Key.AsSpan().SequenceCompareTo(key) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    /// <summary>Encodes this node (and any new children first), reporting every new block.</summary>
    public Cid Commit(DagCborWriter writer, Action<Cid, byte[]>? onNewBlock)
    {
        if (_cid is not null)
        {
            return _cid;
        }
        var leftCid = Left?.Commit(writer, onNewBlock);
        var rightCids = new Cid?[Entries.Length];
        for (var i = 0; i < Entries.Length; i++)
        {
            rightCids[i] = Entries[i].Right?.Commit(writer, onNewBlock);
        }
        writer.Reset();
        MstNodeCodec.Encode(writer, leftCid, Entries, rightCids);
        var bytes = writer.ToArray();
        var cid = Cid.ForDagCbor(bytes);
        onNewBlock?.Invoke(cid, bytes);
        _cid = cid;
        return cid;
    }

    public static MstRef? RefOrNull(int height, MstRef? left, MstEntry[] entries) =>
        entries.Length == 0 && left is null ? null : new MstRef(new MstNode(height, left, entries));
}

/// <summary>A key with its value (a record CID) and the subtree to its right.</summary>
internal sealed record MstEntry(byte[] Key, Cid Value, MstRef? Right);

/// <summary>
/// A link to a child: either only a CID (not loaded yet) or an in-memory node. Loading
/// fills <see cref="Node"/> in place; that is a cache, the value it points to never changes.
/// </summary>
internal sealed class MstRef
{
    public MstRef(Cid cid)
    {
        Cid = cid;
    }

    public MstRef(MstNode node)
    {
        Node = node;
        Cid = node.KnownCid;
    }

    public Cid? Cid { get; private set; }
    public MstNode? Node { get; set; }

    public Cid Commit(DagCborWriter writer, Action<Cid, byte[]>? onNewBlock)
    {
        if (Cid is not null)
        {
            return Cid;
        }
        Cid = Node!.Commit(writer, onNewBlock);
        return Cid;
    }
}
