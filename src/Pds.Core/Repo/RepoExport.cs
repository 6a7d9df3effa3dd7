using Pds.Core.Car;
using Pds.Core.Ipld;

namespace Pds.Core.Repo;

/// <summary>Writes a full repository as a CAR: the commit, then each tree node followed by its records.</summary>
public static class RepoExport
{
    public static async Task WriteCarAsync(Stream output, IBlockReader store, RepoHead head, CancellationToken ct = default)
    {
        await using var car = await CarWriter.CreateAsync(output, [head.CommitCid], ct).ConfigureAwait(false);
        await car.WriteBlockAsync(head.CommitCid, await GetAsync(store, head.CommitCid, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        var tree = await Mst.Mst.LoadAsync(store, head.Commit.Data, ct).ConfigureAwait(false);
        var written = new HashSet<Cid>();
        await foreach (var node in tree.WalkNodesAsync(ct).ConfigureAwait(false))
        {
            await car.WriteBlockAsync(node.Cid, await GetAsync(store, node.Cid, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
            foreach (var leaf in node.Leaves)
            {
                // Identical records share one block; a CAR needs it once.
                if (written.Add(leaf.Value))
                {
                    await car.WriteBlockAsync(leaf.Value, await GetAsync(store, leaf.Value, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                }
            }
        }
        await car.FlushAsync(ct).ConfigureAwait(false);
    }

    private static async ValueTask<ReadOnlyMemory<byte>> GetAsync(IBlockReader store, Cid cid, CancellationToken ct) =>
        await store.GetBlockAsync(cid, ct).ConfigureAwait(false) ?? throw new MissingBlockException(cid, "repo export");
}
