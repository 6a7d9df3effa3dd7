using Pds.Core.Ipld;

namespace Pds.Core.Mst;

/// <summary>
/// Builds a tree from a whole key set in one pass (imports, benchmarks). The result is
/// identical to inserting the keys one by one, because the shape depends only on the set.
/// </summary>
public static class MstBuilder
{
    public static Mst Build(IEnumerable<KeyValuePair<byte[], Cid>> items, IBlockReader? source = null)
    {
        var sorted = items.ToArray();
        Array.Sort(sorted, static (a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));
        var heights = new int[sorted.Length];
        var top = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (sorted[i].Key.Length == 0 || sorted[i].Key.Length > MstKey.MaxLength)
            {
                throw new ArgumentException($"MST keys are 1 to {MstKey.MaxLength} bytes");
            }
            if (i > 0 && sorted[i - 1].Key.AsSpan().SequenceEqual(sorted[i].Key))
            {
                throw new MstKeyExistsException(System.Text.Encoding.UTF8.GetString(sorted[i].Key));
            }
            heights[i] = MstKey.Height(sorted[i].Key);
            top = Math.Max(top, heights[i]);
        }
        var mst = Mst.Empty(source);
        if (sorted.Length == 0)
        {
            return mst;
        }
        return mst.WithRoot(BuildNode(sorted, heights, 0, sorted.Length, top));
    }

    private static MstNode BuildNode(KeyValuePair<byte[], Cid>[] items, int[] heights, int lo, int hi, int height)
    {
        var entries = new List<MstEntry>();
        MstRef? left = null;
        var segmentStart = lo;
        for (var i = lo; i <= hi; i++)
        {
            if (i < hi && heights[i] != height)
            {
                continue;
            }
            // [segmentStart, i) holds only lower keys: it becomes the subtree before item i.
            var child = segmentStart < i ? new MstRef(BuildNode(items, heights, segmentStart, i, height - 1)) : null;
            if (entries.Count == 0)
            {
                left = child;
            }
            else
            {
                entries[^1] = entries[^1] with { Right = child };
            }
            if (i < hi)
            {
                entries.Add(new MstEntry(items[i].Key, items[i].Value, null));
            }
            segmentStart = i + 1;
        }
        return new MstNode(height, left, [.. entries]);
    }
}
