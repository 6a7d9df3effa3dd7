using Pds.Core.Ipld;
using Pds.Core.Repo;

namespace Pds.Core.Storage;

/// <summary>
/// Per-account repository storage: blocks, the record index and the head. Shaped for a store
/// without cross-partition transactions: a commit is idempotent content-addressed block writes,
/// then one head swap guarded by the previous head that also records the commit's outbox event.
/// Blocks written by a commit that lost the race are harmless garbage.
/// </summary>
public interface IRepoStore
{
    Task<StoredHead?> GetHeadAsync(string did, CancellationToken ct = default);

    /// <summary>Block access scoped to one repository (the tree and record readers use it).</summary>
    IBlockReader Blocks(string did);

    /// <summary>
    /// Persists a commit. Throws <see cref="HeadConflictException"/> when the current head is not
    /// <see cref="CommitWrite.ExpectedHead"/>; then nothing but unreferenced blocks was written.
    /// Deletes <see cref="CommitWrite.Removed"/>: every node, and every record block that no record
    /// index row points at once the commit's index changes are applied.
    /// </summary>
    Task ApplyCommitAsync(string did, CommitWrite commit, CancellationToken ct = default);

    Task<StoredRecord?> GetRecordAsync(string did, string collection, string rkey, CancellationToken ct = default);

    /// <summary>Records of one collection ordered by rkey; the cursor is the last rkey seen (exclusive).</summary>
    Task<IReadOnlyList<StoredRecord>> ListRecordsAsync(
        string did, string collection, int limit, string? cursor, bool reverse, CancellationToken ct = default);

    Task<IReadOnlyList<string>> ListCollectionsAsync(string did, CancellationToken ct = default);

    /// <summary>
    /// Opens a consistent view of one repository for export: its head and, as of the same moment,
    /// every block the head reaches (exactly those, each once), or with <paramref name="sinceRev"/>
    /// those of them written by a commit with a later rev. Null when there is no repo. The caller
    /// disposes it; an open view never blocks writers.
    /// </summary>
    Task<RepoSnapshot?> OpenSnapshotAsync(string did, string? sinceRev, CancellationToken ct = default);

    /// <summary>Pages through repositories by DID (sync.listRepos).</summary>
    Task<IReadOnlyList<StoredHead>> ListHeadsAsync(int limit, string? cursorDid, CancellationToken ct = default);

    /// <summary>Removes every block, record and the head of a repository.</summary>
    Task DeleteRepoAsync(string did, CancellationToken ct = default);
}

/// <summary>A repository head as stored: commit CID and rev, plus the commit block for fast reads.</summary>
public sealed record StoredHead(string Did, Cid CommitCid, string Rev, byte[] CommitBytes);

/// <summary>A record as indexed: where it lives, its CID and its DAG-CBOR bytes.</summary>
public sealed record StoredRecord(string Collection, string Rkey, Cid Cid, byte[] Bytes);

/// <summary>What one commit persists.</summary>
/// <param name="ExpectedHead">The head this commit was built on (null for a new repo).</param>
/// <param name="Head">The new head.</param>
/// <param name="Blocks">New blocks (content-addressed; writing one twice is harmless).</param>
/// <param name="Records">Record index changes: a CID to set or null to remove, per path.</param>
/// <param name="Event">The outbox event, sequenced later; null for silent writes (imports).</param>
/// <param name="Removed">Blocks the new head no longer reaches, deleted with the commit (null: none).</param>
public sealed record CommitWrite(
    Cid? ExpectedHead,
    StoredHead Head,
    IReadOnlyDictionary<Cid, byte[]> Blocks,
    IReadOnlyList<RecordIndexChange> Records,
    PendingEvent? Event,
    RemovedBlocks? Removed = null);

/// <summary>A repository's head and its blocks as of one moment (see <see cref="IRepoStore.OpenSnapshotAsync"/>).</summary>
public sealed class RepoSnapshot(
    StoredHead head, IAsyncEnumerable<KeyValuePair<Cid, ReadOnlyMemory<byte>>> blocks, IAsyncDisposable? owner = null) : IAsyncDisposable
{
    public StoredHead Head { get; } = head;

    /// <summary>Enumerate once.</summary>
    public IAsyncEnumerable<KeyValuePair<Cid, ReadOnlyMemory<byte>>> Blocks { get; } = blocks;

    public ValueTask DisposeAsync() => owner?.DisposeAsync() ?? ValueTask.CompletedTask;
}

public sealed record RecordIndexChange(string Collection, string Rkey, Cid? Cid);

/// <summary>The head moved since the writer read it (a concurrent write, or a stale swapCommit).</summary>
public sealed class HeadConflictException(string did) : Exception($"repository head of {did} changed concurrently")
{
    public string Did { get; } = did;
}
