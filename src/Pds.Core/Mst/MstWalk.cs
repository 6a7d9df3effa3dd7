using System.Runtime.CompilerServices;
using System.Text;
using Pds.Core.Ipld;

namespace Pds.Core.Mst;

/// <summary>In-order walks, optionally over a key range and backwards, loading only the subtrees that overlap.</summary>
public sealed partial class Mst
{
    /// <summary>Every key with <paramref name="prefix"/>, e.g. one collection's records ("app.bsky.feed.post/").</summary>
    public IAsyncEnumerable<MstLeaf> ListPrefixAsync(string prefix, bool reverse = false, CancellationToken ct = default)
    {
        var from = Encoding.UTF8.GetBytes(prefix);
        return WalkAsync(from, PrefixUpperBound(from), reverse, ct);
    }

    /// <summary>Keys in [from, to) (either bound may be null), ascending or descending.</summary>
    public async IAsyncEnumerable<MstLeaf> WalkAsync(
        byte[]? from = null, byte[]? to = null, bool reverse = false, [EnumeratorCancellation] CancellationToken ct = default)
    {
        // Positions within a node: even = the subtree in gap pos/2, odd = entry pos/2.
        var stack = new Stack<(MstNode Node, int Pos)>();
        stack.Push((_root, reverse ? 2 * _root.Entries.Length : 0));
        while (stack.Count > 0)
        {
            var (node, pos) = stack.Pop();
            if (pos < 0 || pos > 2 * node.Entries.Length)
            {
                continue;
            }
            stack.Push((node, reverse ? pos - 1 : pos + 1));
            if (pos % 2 == 1)
            {
                var e = node.Entries[pos / 2];
                var afterFrom = from is null || e.Key.AsSpan().SequenceCompareTo(from) >= 0;
                var beforeTo = to is null || e.Key.AsSpan().SequenceCompareTo(to) < 0;
                if (afterFrom && beforeTo)
                {
                    yield return new MstLeaf(e.Key, e.Value);
                }
                else if (reverse ? !afterFrom : !beforeTo)
                {
                    yield break;
                }
                continue;
            }
            var gap = pos / 2;
            var child = node.ChildAt(gap);
            if (child is not null && GapOverlaps(node, gap, from, to))
            {
                var childNode = await LoadAsync(child, node.Height - 1, ct).ConfigureAwait(false);
                stack.Push((childNode, reverse ? 2 * childNode.Entries.Length : 0));
            }
        }
    }

    /// <summary>Every node, parents before children, with the values of its entries. Commits the tree first.</summary>
    public async IAsyncEnumerable<MstNodeInfo> WalkNodesAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        Commit();
        var stack = new Stack<MstNode>();
        stack.Push(_root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return new MstNodeInfo(node.KnownCid!, node.Height, Array.ConvertAll(node.Entries, e => new MstLeaf(e.Key, e.Value)));
            for (var gap = node.Entries.Length; gap >= 0; gap--)
            {
                if (node.ChildAt(gap) is { } child)
                {
                    stack.Push(await LoadAsync(child, node.Height - 1, ct).ConfigureAwait(false));
                }
            }
        }
    }

    private static bool GapOverlaps(MstNode node, int gap, byte[]? from, byte[]? to)
    {
        // Keys in gap g lie strictly between entry g-1 and entry g.
        if (from is not null && gap < node.Entries.Length && node.Entries[gap].Key.AsSpan().SequenceCompareTo(from) <= 0)
        {
            return false;
        }
        return to is null || gap == 0 || node.Entries[gap - 1].Key.AsSpan().SequenceCompareTo(to) < 0;
    }

    /// <summary>The smallest key greater than every key starting with <paramref name="prefix"/>.</summary>
    internal static byte[]? PrefixUpperBound(byte[] prefix)
    {
        var upper = (byte[])prefix.Clone();
        for (var i = upper.Length - 1; i >= 0; i--)
        {
            if (upper[i] != 0xff)
            {
                upper[i]++;
                return upper[..(i + 1)];
            }
        }
        return null;
    }
}

/// <summary>A node seen by a walk: its CID, layer and entries.</summary>
public sealed record MstNodeInfo(Cid Cid, int Height, IReadOnlyList<MstLeaf> Leaves);
