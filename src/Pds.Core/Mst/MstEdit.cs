using System.Text;

namespace Pds.Core.Mst;

/// <summary>Insert, update and delete. Each rebuilds only the path it touches.</summary>
public sealed partial class Mst
{
    public ValueTask AddAsync(string key, Ipld.Cid value, CancellationToken ct = default) =>
        AddAsync(Encoding.UTF8.GetBytes(key), value, ct);

    /// <summary>Inserts a key that must not exist yet.</summary>
    public async ValueTask AddAsync(byte[] key, Ipld.Cid value, CancellationToken ct = default)
    {
        if (key.Length == 0 || key.Length > MstKey.MaxLength)
        {
            throw new ArgumentException($"MST keys are 1 to {MstKey.MaxLength} bytes", nameof(key));
        }
        var height = MstKey.Height(key);
        var root = _root;
        if (height > root.Height)
        {
            if (root.IsEmpty)
            {
                root = new MstNode(height, null, MstNode.NoEntries);
            }
            // Grow: the old root becomes the left subtree of empty nodes up to the key's layer.
            while (root.Height < height)
            {
                root = new MstNode(root.Height + 1, new MstRef(root), MstNode.NoEntries);
            }
        }
        _root = await InsertAsync(root, key, height, value, ct).ConfigureAwait(false);
    }

    public ValueTask UpdateAsync(string key, Ipld.Cid value, CancellationToken ct = default) =>
        UpdateAsync(Encoding.UTF8.GetBytes(key), value, ct);

    /// <summary>Replaces the value of a key that must exist.</summary>
    public async ValueTask UpdateAsync(byte[] key, Ipld.Cid value, CancellationToken ct = default)
    {
        _root = await ReplaceAsync(_root, key, MstKey.Height(key), value, ct).ConfigureAwait(false);
    }

    public ValueTask DeleteAsync(string key, CancellationToken ct = default) => DeleteAsync(Encoding.UTF8.GetBytes(key), ct);

    /// <summary>Removes a key that must exist, then trims empty layers off the top.</summary>
    public async ValueTask DeleteAsync(byte[] key, CancellationToken ct = default)
    {
        var root = await RemoveAsync(_root, key, MstKey.Height(key), ct).ConfigureAwait(false);
        while (root.Entries.Length == 0 && root.Left is not null)
        {
            root = await LoadAsync(root.Left, root.Height - 1, ct).ConfigureAwait(false);
        }
        _root = root.IsEmpty ? new MstNode(0, null, MstNode.NoEntries) : root;
    }

    private async ValueTask<MstNode> InsertAsync(MstNode node, byte[] key, int height, Ipld.Cid value, CancellationToken ct)
    {
        var i = node.LowerBound(key);
        if (i < node.Entries.Length && node.Entries[i].Key.AsSpan().SequenceEqual(key))
        {
            throw new MstKeyExistsException(Encoding.UTF8.GetString(key));
        }
        if (height < node.Height)
        {
            var child = node.ChildAt(i);
            var childNode = child is null
                ? new MstNode(node.Height - 1, null, MstNode.NoEntries)
                : await LoadAsync(child, node.Height - 1, ct).ConfigureAwait(false);
            var inserted = await InsertAsync(childNode, key, height, value, ct).ConfigureAwait(false);
            return node.WithChild(i, new MstRef(inserted));
        }
        // The key lands on this layer: the subtree it falls into splits around it.
        var (left, right) = await SplitAsync(node.ChildAt(i), node.Height - 1, key, ct).ConfigureAwait(false);
        var entries = new MstEntry[node.Entries.Length + 1];
        Array.Copy(node.Entries, 0, entries, 0, i);
        Array.Copy(node.Entries, i, entries, i + 1, node.Entries.Length - i);
        entries[i] = new MstEntry(key, value, right);
        if (i == 0)
        {
            return new MstNode(node.Height, left, entries);
        }
        entries[i - 1] = entries[i - 1] with { Right = left };
        return new MstNode(node.Height, node.Left, entries);
    }

    /// <summary>Splits a subtree into the keys below and above <paramref name="key"/>.</summary>
    private async ValueTask<(MstRef? Left, MstRef? Right)> SplitAsync(MstRef? subtree, int height, byte[] key, CancellationToken ct)
    {
        if (subtree is null)
        {
            return (null, null);
        }
        var node = await LoadAsync(subtree, height, ct).ConfigureAwait(false);
        var i = node.LowerBound(key);
        if (i < node.Entries.Length && node.Entries[i].Key.AsSpan().SequenceEqual(key))
        {
            throw new MstKeyExistsException(Encoding.UTF8.GetString(key));
        }
        var (innerLeft, innerRight) = await SplitAsync(node.ChildAt(i), height - 1, key, ct).ConfigureAwait(false);
        var leftEntries = node.Entries[..i];
        if (i > 0)
        {
            leftEntries[i - 1] = leftEntries[i - 1] with { Right = innerLeft };
        }
        var left = MstNode.RefOrNull(height, i == 0 ? innerLeft : node.Left, leftEntries);
        var right = MstNode.RefOrNull(height, innerRight, node.Entries[i..]);
        return (left, right);
    }

    private async ValueTask<MstNode> ReplaceAsync(MstNode node, byte[] key, int height, Ipld.Cid value, CancellationToken ct)
    {
        var i = node.LowerBound(key);
        if (height == node.Height)
        {
            if (i >= node.Entries.Length || !node.Entries[i].Key.AsSpan().SequenceEqual(key))
            {
                throw new MstKeyNotFoundException(Encoding.UTF8.GetString(key));
            }
            var entries = (MstEntry[])node.Entries.Clone();
            entries[i] = entries[i] with { Value = value };
            return new MstNode(node.Height, node.Left, entries);
        }
        var child = height < node.Height ? node.ChildAt(i) : null;
        if (child is null)
        {
            throw new MstKeyNotFoundException(Encoding.UTF8.GetString(key));
        }
        var childNode = await LoadAsync(child, node.Height - 1, ct).ConfigureAwait(false);
        return node.WithChild(i, new MstRef(await ReplaceAsync(childNode, key, height, value, ct).ConfigureAwait(false)));
    }

    private async ValueTask<MstNode> RemoveAsync(MstNode node, byte[] key, int height, CancellationToken ct)
    {
        var i = node.LowerBound(key);
        if (height == node.Height)
        {
            if (i >= node.Entries.Length || !node.Entries[i].Key.AsSpan().SequenceEqual(key))
            {
                throw new MstKeyNotFoundException(Encoding.UTF8.GetString(key));
            }
            // The subtrees on both sides of the removed key join into one.
            var merged = await MergeAsync(node.ChildAt(i), node.Entries[i].Right, node.Height - 1, ct).ConfigureAwait(false);
            var entries = new MstEntry[node.Entries.Length - 1];
            Array.Copy(node.Entries, 0, entries, 0, i);
            Array.Copy(node.Entries, i + 1, entries, i, entries.Length - i);
            if (i == 0)
            {
                return new MstNode(node.Height, merged, entries);
            }
            entries[i - 1] = entries[i - 1] with { Right = merged };
            return new MstNode(node.Height, node.Left, entries);
        }
        var child = height < node.Height ? node.ChildAt(i) : null;
        if (child is null)
        {
            throw new MstKeyNotFoundException(Encoding.UTF8.GetString(key));
        }
        var childNode = await LoadAsync(child, node.Height - 1, ct).ConfigureAwait(false);
        var removed = await RemoveAsync(childNode, key, height, ct).ConfigureAwait(false);
        return node.WithChild(i, removed.IsEmpty ? null : new MstRef(removed));
    }

    /// <summary>Joins two adjacent subtrees of one layer (every key of a is below every key of b).</summary>
    private async ValueTask<MstRef?> MergeAsync(MstRef? a, MstRef? b, int height, CancellationToken ct)
    {
        if (a is null)
        {
            return b;
        }
        if (b is null)
        {
            return a;
        }
        var left = await LoadAsync(a, height, ct).ConfigureAwait(false);
        var right = await LoadAsync(b, height, ct).ConfigureAwait(false);
        var lastOfLeft = left.Entries.Length > 0 ? left.Entries[^1].Right : left.Left;
        var middle = await MergeAsync(lastOfLeft, right.Left, height - 1, ct).ConfigureAwait(false);
        if (left.Entries.Length == 0)
        {
            return MstNode.RefOrNull(height, middle, right.Entries);
        }
        MstEntry[] entries = [.. left.Entries, .. right.Entries];
        entries[left.Entries.Length - 1] = entries[left.Entries.Length - 1] with { Right = middle };
        return MstNode.RefOrNull(height, left.Left, entries);
    }
}

public sealed class MstKeyExistsException(string key) : InvalidOperationException($"key already in the tree: {key}")
{
    public string Key { get; } = key;
}

public sealed class MstKeyNotFoundException(string key) : InvalidOperationException($"key not in the tree: {key}")
{
    public string Key { get; } = key;
}
