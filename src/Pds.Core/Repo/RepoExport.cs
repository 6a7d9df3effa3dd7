using Pds.Core.Car;
using Pds.Core.Ipld;
using Pds.Core.Mst;

namespace Pds.Core.Repo;

/// <summary>
/// Writes a full repository as a CAR: the commit, then the tree in key order, each node followed
/// by its records. Only blocks reachable from the commit go out, whatever else the source holds.
/// </summary>
public static class RepoExport
{
    public static Task WriteCarAsync(Stream output, IBlockReader store, RepoHead head, CancellationToken ct = default) =>
        WriteCarAsync(output, cid => store.GetBlockAsync(cid, ct), head, ct);

    /// <summary>
    /// The same from blocks already in memory (getRepo reads the repo's blocks in one pass):
    /// lookups without an async reader underneath.
    /// </summary>
    public static Task WriteCarAsync(Stream output, IReadOnlyDictionary<Cid, ReadOnlyMemory<byte>> blocks, RepoHead head, CancellationToken ct = default) =>
        WriteCarAsync(output, cid => new(blocks.TryGetValue(cid, out var bytes) ? bytes : null), head, ct);

    private static async Task WriteCarAsync(Stream output, Func<Cid, ValueTask<ReadOnlyMemory<byte>?>> get, RepoHead head, CancellationToken ct)
    {
        await using var car = await CarWriter.CreateAsync(output, [head.CommitCid], ct).ConfigureAwait(false);
        await car.WriteBlockAsync(head.CommitCid, await GetAsync(get, head.CommitCid).ConfigureAwait(false), ct).ConfigureAwait(false);
        // The tree was validated when it was written, so the walk reads links only (see
        // MstNodeCodec.ReadLinks); a node's children are pushed right to left so the leftmost
        // subtree comes out next.
        var pending = new Stack<Cid>();
        pending.Push(head.Commit.Data);
        var written = new HashSet<Cid>();
        var nodes = new HashSet<Cid>();
        var records = new List<Cid>();
        var subtrees = new List<Cid>();
        while (pending.TryPop(out var nodeCid))
        {
            // A valid tree reaches each node once; a store that links back up must not loop forever.
            if (!nodes.Add(nodeCid))
            {
                throw new MstFormatException($"MST node {nodeCid} is reached twice");
            }
            var node = await GetAsync(get, nodeCid).ConfigureAwait(false);
            records.Clear();
            subtrees.Clear();
            MstNodeCodec.ReadLinks(node.Span, nodeCid, records, subtrees);
            await car.WriteBlockAsync(nodeCid, node, ct).ConfigureAwait(false);
            foreach (var record in records)
            {
                // Identical records share one block; a CAR needs it once.
                if (written.Add(record))
                {
                    await car.WriteBlockAsync(record, await GetAsync(get, record).ConfigureAwait(false), ct).ConfigureAwait(false);
                }
            }
            for (var i = subtrees.Count - 1; i >= 0; i--)
            {
                pending.Push(subtrees[i]);
            }
        }
        await car.FlushAsync(ct).ConfigureAwait(false);
    }

    private static async ValueTask<ReadOnlyMemory<byte>> GetAsync(Func<Cid, ValueTask<ReadOnlyMemory<byte>?>> get, Cid cid) =>
        await get(cid).ConfigureAwait(false) ?? throw new MissingBlockException(cid, "repo export");
}
