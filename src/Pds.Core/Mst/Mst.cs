using System.Text;
using Pds.Core.Cbor;
using Pds.Core.Ipld;

namespace Pds.Core.Mst;

/// <summary>
/// A Merkle Search Tree over a block source. The tree value is immutable (copy-on-write
/// nodes); this class holds the current root and applies edits, loading only the nodes an
/// edit touches. Missing blocks surface as <see cref="MissingBlockException"/>, which is how
/// a consumer holding only a commit's proof blocks learns the proof was incomplete.
/// </summary>
public sealed partial class Mst
{
    private readonly IBlockReader _source;
    private MstNode _root;

    private Mst(IBlockReader source, MstNode root)
    {
        _source = source;
        _root = root;
    }

    public static Mst Empty(IBlockReader? source = null) =>
        new(source ?? new MemoryBlockStore(), new MstNode(0, null, MstNode.NoEntries));

    public static async ValueTask<Mst> LoadAsync(IBlockReader source, Cid root, CancellationToken ct = default)
    {
        var bytes = await source.GetBlockAsync(root, ct).ConfigureAwait(false)
            ?? throw new MissingBlockException(root, "MST root");
        return new Mst(source, MstNodeCodec.Decode(bytes.Span, root, height: null));
    }

    /// <summary>Another handle on the same tree value; edits to either do not affect the other.</summary>
    public Mst Fork(IBlockReader? source = null) => new(source ?? _source, _root);

    internal MstNode Root => _root;

    public bool IsEmpty => _root.IsEmpty;

    /// <summary>Computes the root CID, encoding new nodes and reporting each new block once.</summary>
    public Cid Commit(Action<Cid, byte[]>? onNewBlock = null) => _root.Commit(new DagCborWriter(), onNewBlock);

    public ValueTask<Cid?> GetAsync(string key, CancellationToken ct = default) => GetAsync(Encoding.UTF8.GetBytes(key), ct);

    public async ValueTask<Cid?> GetAsync(byte[] key, CancellationToken ct = default)
    {
        var height = MstKey.Height(key);
        var node = _root;
        while (true)
        {
            if (height > node.Height)
            {
                return null;
            }
            var i = node.LowerBound(key);
            if (height == node.Height)
            {
                return i < node.Entries.Length && node.Entries[i].Key.AsSpan().SequenceEqual(key) ? node.Entries[i].Value : null;
            }
            var child = node.ChildAt(i);
            if (child is null)
            {
                return null;
            }
            node = await LoadAsync(child, node.Height - 1, ct).ConfigureAwait(false);
        }
    }

    internal async ValueTask<MstNode> LoadAsync(MstRef r, int height, CancellationToken ct)
    {
        if (r.Node is { } node)
        {
            return node;
        }
        var cid = r.Cid!;
        var bytes = await _source.GetBlockAsync(cid, ct).ConfigureAwait(false) ?? throw new MissingBlockException(cid, "MST node");
        node = MstNodeCodec.Decode(bytes.Span, cid, height);
        r.Node = node;
        return node;
    }
}

public sealed partial class Mst
{
    internal Mst WithRoot(MstNode root) => new(_source, root);
}