using Pds.Core.Cbor;
using Pds.Core.Crypto;
using Pds.Core.DataModel;
using Pds.Core.Ipld;
using Pds.Core.Mst;
using Pds.Core.Syntax;

namespace Pds.Core.Repo;

/// <summary>
/// Applies a batch of writes to a repository and signs the new commit. Pure: it reads blocks
/// and returns what to persist; storing the blocks and swapping the head is the caller's job.
/// See README.md in this folder for the write path.
/// </summary>
public static class RepoWriter
{
    /// <summary>The firehose carries at most 200 ops per commit; applyWrites allows as many.</summary>
    public const int MaxWrites = 200;

    public static async Task<CommitResult> ApplyAsync(
        IBlockReader store, string did, RepoHead? head, IReadOnlyList<RepoWrite> writes, ISigner signer, TidGenerator tids,
        bool withProof = true, CancellationToken ct = default)
    {
        if (writes.Count > MaxWrites)
        {
            throw new RepoWriteException(RepoWriteError.TooManyWrites, $"at most {MaxWrites} writes per commit");
        }
        var newBlocks = new MemoryBlockStore();
        var overlay = new OverlayBlockReader(newBlocks, store);
        var tree = head is null ? Mst.Mst.Empty(overlay) : await Mst.Mst.LoadAsync(overlay, head.Commit.Data, ct).ConfigureAwait(false);
        var prevData = head is null ? null : head.Commit.Data;
        // Forks share loaded nodes, so diffing against the old tree afterwards reloads nothing.
        var before = tree.Fork();
        var ops = await ApplyToTreeAsync(tree, writes, newBlocks, ct).ConfigureAwait(false);
        var data = tree.Commit(newBlocks.Put);
        var removed = head is null ? RemovedBlocks.None : await RemovedAsync(before, tree, head, ops, newBlocks, ct).ConfigureAwait(false);

        var rev = head is not null && Tid.TryParse(head.Commit.Rev, out var last) ? tids.NextAfter(last) : tids.Next();
        var commit = await RepoCommit.SignAsync(did, data, rev, signer, ct).ConfigureAwait(false);
        var commitBytes = commit.Encode();
        var commitCid = newBlocks.PutDagCbor(commitBytes);

        var firehose = new HashSet<Cid>(newBlocks.Blocks.Select(b => b.Key));
        if (withProof && prevData is not null)
        {
            var mstOps = ops.Select(o => new MstOperation(o.Path, o.Prev, o.Cid)).ToList();
            firehose.UnionWith(await MstProof.CollectInversionBlocksAsync(overlay, data, mstOps, ct).ConfigureAwait(false));
        }
        return new CommitResult(
            commitCid, commit, head?.Commit.Rev, head?.CommitCid, prevData, ops,
            newBlocks.Blocks.ToDictionary(b => b.Key, b => b.Value.ToArray()), firehose, removed);
    }

    /// <summary>
    /// What the new head no longer reaches: the old commit, the tree nodes the edits replaced, and
    /// the blocks of replaced or deleted records (which another path may still share; the store
    /// checks its record index for that). A node's bytes include its keys, so a node CID occurs
    /// at one place in one tree: diff-visited old nodes minus diff-visited new nodes is exact.
    /// </summary>
    private static async Task<RemovedBlocks> RemovedAsync(
        Mst.Mst before, Mst.Mst after, RepoHead head, List<RepoOp> ops, MemoryBlockStore newBlocks, CancellationToken ct)
    {
        var diff = await MstDiff.ComputeAsync(before, after, ct).ConfigureAwait(false);
        var nodes = new HashSet<Cid>(diff.RemovedNodes);
        nodes.ExceptWith(diff.NewNodes);
        nodes.Add(head.CommitCid);
        var records = new HashSet<Cid>();
        foreach (var op in ops)
        {
            if (op.Prev is { } prev && !newBlocks.Contains(prev))
            {
                records.Add(prev);
            }
        }
        return new RemovedBlocks(nodes, records);
    }

    private static async Task<List<RepoOp>> ApplyToTreeAsync(Mst.Mst tree, IReadOnlyList<RepoWrite> writes, MemoryBlockStore newBlocks, CancellationToken ct)
    {
        var ops = new List<RepoOp>(writes.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var writer = new DagCborWriter();
        foreach (var w in writes)
        {
            var path = w.Path;
            if (!seen.Add(path))
            {
                throw new RepoWriteException(RepoWriteError.DuplicatePath, $"{path} is written twice in one commit");
            }
            var existing = await tree.GetAsync(path, ct).ConfigureAwait(false);
            Cid? cid = null;
            if (w.Action != WriteAction.Delete)
            {
                cid = PutRecord(w, writer, newBlocks);
            }
            switch (w.Action)
            {
                case WriteAction.Create when existing is not null:
                    throw new RepoWriteException(RepoWriteError.RecordAlreadyExists, $"{path} already exists");
                case WriteAction.Create:
                    await tree.AddAsync(path, cid!, ct).ConfigureAwait(false);
                    break;
                case WriteAction.Update or WriteAction.Delete when existing is null:
                    throw new RepoWriteException(RepoWriteError.RecordNotFound, $"{path} does not exist");
                case WriteAction.Update:
                    await tree.UpdateAsync(path, cid!, ct).ConfigureAwait(false);
                    break;
                default:
                    await tree.DeleteAsync(path, ct).ConfigureAwait(false);
                    break;
            }
            ops.Add(new RepoOp(w.Action, path, cid, existing));
        }
        return ops;
    }

    private static Cid PutRecord(RepoWrite w, DagCborWriter writer, MemoryBlockStore newBlocks)
    {
        if (w.Record is null)
        {
            throw new RepoWriteException(RepoWriteError.InvalidRecord, $"{w.Path}: a record is required");
        }
        if (w.Record["$type"] is not DataString { Value.Length: > 0 })
        {
            throw new RepoWriteException(RepoWriteError.InvalidRecord, $"{w.Path}: records need a $type");
        }
        writer.Reset();
        DagCbor.Write(writer, w.Record);
        return newBlocks.PutDagCbor(writer.ToArray());
    }
}
