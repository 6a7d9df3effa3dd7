using Pds.Core.Ipld;

namespace Pds.Core.Mst;

/// <summary>A change of one key between two trees: created (Before null), deleted (After null) or updated.</summary>
public readonly record struct MstChange(byte[] KeyBytes, Cid? Before, Cid? After)
{
    public string Key => System.Text.Encoding.UTF8.GetString(KeyBytes);
}

public sealed record MstDiffResult(IReadOnlyList<MstChange> Changes, IReadOnlySet<Cid> NewNodes, IReadOnlySet<Cid> RemovedNodes);

/// <summary>
/// Compares two trees by walking both in key order and skipping every subtree whose CID
/// appears at the same point on both sides, so the cost follows the size of the change.
/// </summary>
public static class MstDiff
{
    public static async Task<MstDiffResult> ComputeAsync(Mst before, Mst after, CancellationToken ct = default)
    {
        before.Commit();
        after.Commit();
        var changes = new List<MstChange>();
        var newNodes = new HashSet<Cid>();
        var removedNodes = new HashSet<Cid>();
        var a = new Cursor(before, removedNodes);
        var b = new Cursor(after, newNodes);
        a.PushNode(before.Root);
        b.PushNode(after.Root);
        while (a.HasNext || b.HasNext)
        {
            var x = a.HasNext ? a.Peek : null;
            var y = b.HasNext ? b.Peek : null;
            if (x?.Subtree is { } sx && y?.Subtree is { } sy && sx.Cid == sy.Cid)
            {
                a.Pop();
                b.Pop();
            }
            else if (x?.Subtree is not null && (y?.Subtree is null || x.Height >= y.Height))
            {
                await a.ExpandAsync(ct).ConfigureAwait(false);
            }
            else if (y?.Subtree is not null)
            {
                await b.ExpandAsync(ct).ConfigureAwait(false);
            }
            else
            {
                var order = x is null ? 1 : y is null ? -1 : x.Key!.AsSpan().SequenceCompareTo(y.Key);
                if (order < 0)
                {
                    changes.Add(new MstChange(x!.Key!, x.Value, null));
                    a.Pop();
                }
                else if (order > 0)
                {
                    changes.Add(new MstChange(y!.Key!, null, y.Value));
                    b.Pop();
                }
                else
                {
                    if (x!.Value != y!.Value)
                    {
                        changes.Add(new MstChange(x.Key!, x.Value, y.Value));
                    }
                    a.Pop();
                    b.Pop();
                }
            }
        }
        return new MstDiffResult(changes, newNodes, removedNodes);
    }

    private sealed record Item(byte[]? Key, Cid? Value, MstRef? Subtree, int Height);

    private sealed class Cursor(Mst tree, HashSet<Cid> visited)
    {
        private readonly Stack<Item> _stack = new();

        public bool HasNext => _stack.Count > 0;
        public Item Peek => _stack.Peek();
        public void Pop() => _stack.Pop();

        public void PushNode(MstNode node)
        {
            if (node.KnownCid is { } cid)
            {
                visited.Add(cid);
            }
            for (var i = node.Entries.Length - 1; i >= -1; i--)
            {
                var child = node.ChildAt(i + 1);
                if (child is not null)
                {
                    _stack.Push(new Item(null, null, child, node.Height - 1));
                }
                if (i >= 0)
                {
                    _stack.Push(new Item(node.Entries[i].Key, node.Entries[i].Value, null, node.Height));
                }
            }
        }

        public async ValueTask ExpandAsync(CancellationToken ct)
        {
            var item = _stack.Pop();
            PushNode(await tree.LoadAsync(item.Subtree!, item.Height, ct).ConfigureAwait(false));
        }
    }
}
