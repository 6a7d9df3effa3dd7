using Pds.Core.Ipld;

namespace Pds.Core.Repo;

/// <summary>
/// Blocks a commit leaves unreachable. Deleting them at commit time keeps a repo's stored blocks
/// equal to what its head reaches: a deleted post's bytes do not linger, and a full export can
/// stream the stored blocks without walking the tree.
/// </summary>
/// <param name="Nodes">The previous commit and the tree nodes the commit replaced; never shared with the new tree.</param>
/// <param name="Records">
/// Blocks of records the commit replaced or deleted. Two paths may hold identical records (one
/// block), so a store keeps any of these that a record index row still points at after the commit.
/// </param>
public sealed record RemovedBlocks(IReadOnlyCollection<Cid> Nodes, IReadOnlyCollection<Cid> Records)
{
    public static readonly RemovedBlocks None = new([], []);

    public bool IsEmpty => Nodes.Count == 0 && Records.Count == 0;
}
