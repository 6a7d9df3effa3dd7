using System.Text;
using Pds.Core.Ipld;

namespace Pds.Core.Mst;

/// <summary>One key's change in a commit, as the firehose describes it.</summary>
public readonly record struct MstOperation(string Key, Cid? Before, Cid? After);

/// <summary>
/// Proofs over a tree: the nodes on a key's search path (presence or absence), and the
/// "inductive firehose" check: undo a commit's operations using only the blocks it ships.
/// </summary>
public static class MstProof
{
    /// <summary>CIDs of the nodes a reader visits looking for <paramref name="key"/>; the tree must be committed.</summary>
    public static async Task<IReadOnlyList<Cid>> SearchPathAsync(Mst tree, string key, CancellationToken ct = default)
    {
        tree.Commit();
        var bytes = Encoding.UTF8.GetBytes(key);
        var path = new List<Cid>();
        var node = tree.Root;
        while (true)
        {
            path.Add(node.KnownCid!);
            var i = node.LowerBound(bytes);
            if (i < node.Entries.Length && node.Entries[i].Key.AsSpan().SequenceEqual(bytes))
            {
                return path;
            }
            var child = node.ChildAt(i);
            if (child is null || node.Height == 0)
            {
                return path;
            }
            node = await tree.LoadAsync(child, node.Height - 1, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Applies the inverse of <paramref name="ops"/> to the tree at <paramref name="rootAfter"/>,
    /// reading only from <paramref name="blocks"/>, and returns the resulting root. Throws
    /// <see cref="MissingBlockException"/> when the blocks do not cover the operations.
    /// </summary>
    public static async Task<Cid> InvertAsync(IBlockReader blocks, Cid rootAfter, IEnumerable<MstOperation> ops, CancellationToken ct = default)
    {
        var tree = await Mst.LoadAsync(blocks, rootAfter, ct).ConfigureAwait(false);
        foreach (var op in ops)
        {
            await UndoAsync(tree, op, ct).ConfigureAwait(false);
        }
        return tree.Commit();
    }

    /// <summary>
    /// The tree nodes a consumer needs to invert <paramref name="ops"/>: what an inversion reads,
    /// in commit order and for each operation alone (so any order of undoing works).
    /// <paramref name="store"/> must hold the new tree (new nodes included).
    /// </summary>
    public static async Task<IReadOnlySet<Cid>> CollectInversionBlocksAsync(
        IBlockReader store, Cid rootAfter, IReadOnlyList<MstOperation> ops, CancellationToken ct = default)
    {
        var read = new HashSet<Cid>();
        var recording = new RecordingReader(store, read);
        await InvertAsync(recording, rootAfter, ops, ct).ConfigureAwait(false);
        await InvertAsync(recording, rootAfter, ops.Reverse(), ct).ConfigureAwait(false);
        if (ops.Count > 1)
        {
            foreach (var op in ops)
            {
                await InvertAsync(recording, rootAfter, [op], ct).ConfigureAwait(false);
            }
        }
        return read;
    }

    private static ValueTask UndoAsync(Mst tree, MstOperation op, CancellationToken ct) => op switch
    {
        { Before: null, After: not null } => tree.DeleteAsync(op.Key, ct),
        { Before: not null, After: null } => tree.AddAsync(op.Key, op.Before, ct),
        { Before: not null } => tree.UpdateAsync(op.Key, op.Before, ct),
        _ => throw new ArgumentException($"operation on {op.Key} changes nothing"),
    };

    private sealed class RecordingReader(IBlockReader inner, HashSet<Cid> read) : IBlockReader
    {
        public ValueTask<ReadOnlyMemory<byte>?> GetBlockAsync(Cid cid, CancellationToken cancellationToken = default)
        {
            read.Add(cid);
            return inner.GetBlockAsync(cid, cancellationToken);
        }
    }
}
