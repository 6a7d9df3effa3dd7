using Pds.Core.Ipld;

namespace Pds.Core.Repo;

/// <summary>The current head of a repository: its latest signed commit.</summary>
public sealed record RepoHead(Cid CommitCid, RepoCommit Commit);

/// <summary>
/// Everything a commit produced: the signed commit, the operations, the new blocks to persist,
/// and the blocks a firehose consumer needs (new blocks plus the unchanged neighbour nodes that
/// let it invert the operations back to <see cref="PrevData"/>), and the blocks the new head
/// no longer reaches.
/// </summary>
public sealed record CommitResult(
    Cid CommitCid,
    RepoCommit Commit,
    string? Since,
    Cid? PrevCommit,
    Cid? PrevData,
    IReadOnlyList<RepoOp> Ops,
    IReadOnlyDictionary<Cid, byte[]> NewBlocks,
    IReadOnlyCollection<Cid> FirehoseBlocks,
    RemovedBlocks Removed)
{
    public RepoHead Head => new(CommitCid, Commit);
    public string Rev => Commit.Rev;
}
