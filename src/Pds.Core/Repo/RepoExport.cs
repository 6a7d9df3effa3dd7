using Pds.Core.Car;
using Pds.Core.Ipld;
using Pds.Core.Mst;

namespace Pds.Core.Repo;

/// <summary>
/// A full repository as a CAR: the commit, then the tree in key order, each node followed by its
/// records. Only blocks reachable from the commit go out, whatever else the source holds.
/// </summary>
public static class RepoExport
{
    public static async Task WriteCarAsync(Stream output, IBlockReader store, RepoHead head, CancellationToken ct = default)
    {
        await using var car = await CarWriter.CreateAsync(output, [head.CommitCid], ct).ConfigureAwait(false);
        await foreach (var (cid, bytes) in ReachableAsync(cid => store.GetBlockAsync(cid, ct), head, ct).ConfigureAwait(false))
        {
            await car.WriteBlockAsync(cid, bytes, ct).ConfigureAwait(false);
        }
        await car.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The blocks reachable from <paramref name="head"/> among <paramref name="blocks"/>, in export order.</summary>
    public static IAsyncEnumerable<KeyValuePair<Cid, ReadOnlyMemory<byte>>> ReachableAsync(
        IReadOnlyDictionary<Cid, ReadOnlyMemory<byte>> blocks, RepoHead head, CancellationToken ct = default) =>
        ReachableAsync(cid => new(blocks.TryGetValue(cid, out var bytes) ? bytes : null), head, ct);

    /// <summary>
    /// Walks from the commit: each block once, a missing one is a <see cref="MissingBlockException"/>.
    /// The tree was validated when it was written, so the walk reads links only (see
    /// <see cref="MstNodeCodec.ReadLinks"/>).
    /// </summary>
    public static async IAsyncEnumerable<KeyValuePair<Cid, ReadOnlyMemory<byte>>> ReachableAsync(
        Func<Cid, ValueTask<ReadOnlyMemory<byte>?>> get, RepoHead head,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        yield return new(head.CommitCid, await GetAsync(get, head.CommitCid).ConfigureAwait(false));
        // Children are pushed right to left so the leftmost subtree comes out next.
        var pending = new Stack<Cid>();
        pending.Push(head.Commit.Data);
        var written = new HashSet<Cid>();
        var nodes = new HashSet<Cid>();
        var records = new List<Cid>();
        var subtrees = new List<Cid>();
        while (pending.TryPop(out var nodeCid))
        {
            ct.ThrowIfCancellationRequested();
            // A valid tree reaches each node once; a store that links back up must not loop forever.
            if (!nodes.Add(nodeCid))
            {
                throw new MstFormatException($"MST node {nodeCid} is reached twice");
            }
            var node = await GetAsync(get, nodeCid).ConfigureAwait(false);
            records.Clear();
            subtrees.Clear();
            MstNodeCodec.ReadLinks(node.Span, nodeCid, records, subtrees);
            yield return new(nodeCid, node);
            foreach (var record in records)
            {
                // Identical records share one block; a CAR needs it once.
                if (written.Add(record))
                {
                    yield return new(record, await GetAsync(get, record).ConfigureAwait(false));
                }
            }
            for (var i = subtrees.Count - 1; i >= 0; i--)
            {
                pending.Push(subtrees[i]);
            }
        }
    }

    private static async ValueTask<ReadOnlyMemory<byte>> GetAsync(Func<Cid, ValueTask<ReadOnlyMemory<byte>?>> get, Cid cid) =>
        await get(cid).ConfigureAwait(false) ?? throw new MissingBlockException(cid, "repo export");
}
