using System.Collections.Concurrent;
using Pds.Core.Ipld;
using Pds.Core.Mst;
using Pds.Core.Repo;
using Pds.Core.Sequencer;
using Pds.Core.Storage;
using Pds.Core.Syntax;
using Pds.Core.Xrpc;

namespace Pds.Core.Services;

/// <summary>A write request: the writes plus optional swap guards (null = no guard).</summary>
/// <param name="SwapRecords">Per path: the CID the record must have now, or <see cref="RepoService.MustNotExist"/>.</param>
public sealed record WriteRequest(IReadOnlyList<RepoWrite> Writes, Cid? SwapCommit = null, IReadOnlyDictionary<string, Cid?>? SwapRecords = null);

/// <summary>
/// The write path of README (Repo): build and sign the commit, check the firehose proof,
/// make referenced blobs permanent, persist blocks + guarded head swap + outbox event, wake
/// the sequencer. Concurrent writers to one repo retry on a head conflict unless they asked
/// for swapCommit, in which case the conflict is the caller's InvalidSwap.
/// </summary>
public sealed class RepoService(
    IRepoStore repos, IKeyStore keys, IBlobStore blobs, IBlobIndex blobIndex, ISequencerSignal sequencer, TidGenerator tids, TimeProvider clock)
{
    /// <summary>Marker CID for "swapRecord: null" (the record must not exist).</summary>
    public static readonly Cid MustNotExist = Cid.ForRaw([]);

    private static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new();

    public async Task<CommitResult> CreateRepoAsync(string did, CancellationToken ct = default)
    {
        var signer = await keys.GetAsync(did, ct).ConfigureAwait(false) ?? throw new InvalidOperationException($"no signing key for {did}");
        var result = await RepoWriter.ApplyAsync(repos.Blocks(did), did, null, [], signer, tids, withProof: false, ct).ConfigureAwait(false);
        await PersistAsync(did, null, result, await LoadFirehoseBlocksAsync(did, result, ct).ConfigureAwait(false), [], ct).ConfigureAwait(false);
        return result;
    }

    public async Task<CommitResult> ApplyAsync(string did, WriteRequest request, CancellationToken ct = default)
    {
        var gate = _locks.GetOrAdd(did, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await TryApplyAsync(did, request, ct).ConfigureAwait(false);
                }
                catch (HeadConflictException) when (request.SwapCommit is null && System.Diagnostics.Stopwatch.GetElapsedTime(started) < RetryFor)
                {
                    // Another process moved the head: rebuild on the new one. The process that just
                    // committed has the tree cached and wins the next race too, so the loser keeps
                    // trying for a while (not a fixed count), pausing a random, growing moment.
                    var pause = Random.Shared.Next(1, Math.Min(50, 1 << Math.Min(attempt, 6)));
                    await Task.Delay(TimeSpan.FromMilliseconds(pause), ct).ConfigureAwait(false);
                }
                catch (HeadConflictException)
                {
                    throw new XrpcException(400, "InvalidSwap", "Commit was at a different revision");
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<CommitResult> TryApplyAsync(string did, WriteRequest request, CancellationToken ct)
    {
        var stored = await repos.GetHeadAsync(did, ct).ConfigureAwait(false)
            ?? throw XrpcException.BadRequest("RepoNotFound", $"Could not find repo for DID: {did}");
        if (request.SwapCommit is not null && request.SwapCommit != stored.CommitCid)
        {
            throw new XrpcException(400, "InvalidSwap", $"Commit was at {stored.CommitCid}");
        }
        var head = new RepoHead(stored.CommitCid, RepoCommit.Decode(stored.CommitBytes));
        var signer = await keys.GetAsync(did, ct).ConfigureAwait(false) ?? throw new InvalidOperationException($"no signing key for {did}");
        CommitResult result;
        Dictionary<Cid, byte[]> shipped;
        try
        {
            result = await RepoWriter.ApplyAsync(repos.Blocks(did), did, head, request.Writes, signer, tids, withProof: true, ct).ConfigureAwait(false);
            shipped = await LoadFirehoseBlocksAsync(did, result, ct).ConfigureAwait(false);
        }
        catch (RepoWriteException e)
        {
            throw XrpcException.InvalidRequest(e.Message);
        }
        catch (MissingBlockException)
        {
            // Another process may have committed meanwhile and deleted nodes of the tree we read.
            if ((await repos.GetHeadAsync(did, ct).ConfigureAwait(false))?.CommitCid != stored.CommitCid)
            {
                throw new HeadConflictException(did);
            }
            throw;
        }
        CheckSwapRecords(request, result);
        CheckFirehoseSize(shipped);
        await CheckInvertibleAsync(result, shipped, ct).ConfigureAwait(false);
        var blobRefs = await ClaimBlobsAsync(did, request.Writes, ct).ConfigureAwait(false);
        await PersistAsync(did, stored.CommitCid, result, shipped, blobRefs, ct).ConfigureAwait(false);
        return result;
    }

    private static void CheckSwapRecords(WriteRequest request, CommitResult result)
    {
        if (request.SwapRecords is null)
        {
            return;
        }
        foreach (var op in result.Ops)
        {
            if (request.SwapRecords.TryGetValue(op.Path, out var expected))
            {
                var ok = expected == MustNotExist ? op.Prev is null : op.Prev == expected;
                if (!ok)
                {
                    throw new XrpcException(400, "InvalidSwap", $"Record was at {op.Prev?.ToString() ?? "null"}");
                }
            }
        }
    }

    /// <summary>
    /// A #commit whose blocks pass the firehose cap would go out as tooBig, without blocks or ops,
    /// which no consumer can verify or apply: refuse the write instead.
    /// </summary>
    private static void CheckFirehoseSize(IReadOnlyDictionary<Cid, byte[]> shipped)
    {
        // Each CAR section: a length varint (at most 10 bytes), the CID, the block.
        var size = shipped.Sum(b => 10L + b.Key.ByteLength + b.Value.Length);
        if (size > FirehoseEvents.MaxBlocksBytes)
        {
            throw XrpcException.InvalidRequest($"Commit is too large: its blocks take about {size} bytes, the limit is {FirehoseEvents.MaxBlocksBytes}");
        }
    }

    /// <summary>Never emit an event a consumer could not verify: its ops must invert to prevData using only its blocks.</summary>
    private static async Task CheckInvertibleAsync(CommitResult result, IReadOnlyDictionary<Cid, byte[]> shipped, CancellationToken ct)
    {
        if (result.PrevData is null)
        {
            return;
        }
        var store = new MemoryBlockStore();
        foreach (var (cid, bytes) in shipped)
        {
            store.Put(cid, bytes);
        }
        var ops = result.Ops.Select(o => new MstOperation(o.Path, o.Prev, o.Cid)).ToList();
        var inverted = await MstProof.InvertAsync(store, result.Commit.Data, ops, ct).ConfigureAwait(false);
        if (inverted != result.PrevData)
        {
            throw new InvalidOperationException($"commit {result.CommitCid} does not invert to prevData");
        }
    }

    /// <summary>Blobs referenced by new records must have been uploaded; they become permanent before the commit lands.</summary>
    private async Task<List<(string Path, IReadOnlyList<Cid> Blobs)>> ClaimBlobsAsync(string did, IReadOnlyList<RepoWrite> writes, CancellationToken ct)
    {
        var refs = new List<(string, IReadOnlyList<Cid>)>();
        foreach (var w in writes)
        {
            var found = w.Record is null ? [] : BlobRefs.Find(w.Record);
            foreach (var (cid, mime, size) in found)
            {
                var blob = await blobIndex.GetAsync(did, cid, ct).ConfigureAwait(false)
                    ?? throw XrpcException.BadRequest("BlobNotFound", $"Could not find blob: {cid}");
                if (blob.Size != size || !string.Equals(blob.MimeType, mime, StringComparison.OrdinalIgnoreCase))
                {
                    throw XrpcException.InvalidRequest($"Blob {cid} does not match its reference (size or mimeType)");
                }
                if (blob.TempKey is not null)
                {
                    await blobs.MakePermanentAsync(did, blob.TempKey, cid, ct).ConfigureAwait(false);
                    await blobIndex.PutAsync(blob with { TempKey = null }, ct).ConfigureAwait(false);
                }
            }
            // A created path has no earlier references to clear, so a blob-free create needs no index write.
            if (found.Count > 0 || w.Action != WriteAction.Create)
            {
                refs.Add((w.Path, found.Select(f => f.Cid).Distinct().ToList()));
            }
        }
        return refs;
    }

    private async Task PersistAsync(
        string did, Cid? expected, CommitResult result, IReadOnlyDictionary<Cid, byte[]> shipped,
        List<(string Path, IReadOnlyList<Cid> Blobs)> blobRefs, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var evt = FirehoseEvents.ForCommit(did, result, c => shipped[c], now);
        var records = result.Ops.Select(op =>
        {
            var slash = op.Path.IndexOf('/', StringComparison.Ordinal);
            return new RecordIndexChange(op.Path[..slash], op.Path[(slash + 1)..], op.Cid);
        }).ToList();
        var head = new StoredHead(did, result.CommitCid, result.Rev, result.NewBlocks[result.CommitCid]);
        await repos.ApplyCommitAsync(did, new CommitWrite(expected, head, result.NewBlocks, records, evt, result.Removed), ct).ConfigureAwait(false);
        foreach (var (path, refs) in blobRefs)
        {
            await blobIndex.SetRecordBlobsAsync(did, path, refs, result.Rev, ct).ConfigureAwait(false);
        }
        await sequencer.NotifyAsync(did, ct).ConfigureAwait(false);
    }

    /// <summary>The commit's firehose blocks, read once: new ones from the result, unchanged proof nodes from the store.</summary>
    private async Task<Dictionary<Cid, byte[]>> LoadFirehoseBlocksAsync(string did, CommitResult result, CancellationToken ct)
    {
        var blocks = new Dictionary<Cid, byte[]>(result.FirehoseBlocks.Count);
        foreach (var cid in result.FirehoseBlocks)
        {
            blocks[cid] = await GetBlockAsync(did, result, cid, ct).ConfigureAwait(false);
        }
        return blocks;
    }

    private async Task<byte[]> GetBlockAsync(string did, CommitResult result, Cid cid, CancellationToken ct)
    {
        if (result.NewBlocks.TryGetValue(cid, out var bytes))
        {
            return bytes;
        }
        var stored = await repos.Blocks(did).GetBlockAsync(cid, ct).ConfigureAwait(false) ?? throw new MissingBlockException(cid, "commit proof");
        return stored.ToArray();
    }
}
