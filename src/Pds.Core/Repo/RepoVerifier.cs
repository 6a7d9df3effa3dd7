using Pds.Core.Car;
using Pds.Core.Cbor;
using Pds.Core.Crypto;
using Pds.Core.DataModel;
using Pds.Core.Ipld;
using Pds.Core.Mst;

namespace Pds.Core.Repo;

/// <summary>A repository that passed verification, with its records in key order.</summary>
public sealed record VerifiedRepo(Cid CommitCid, RepoCommit Commit, IReadOnlyList<MstLeaf> Records, long BlockCount);

/// <summary>
/// Full verification of a repository CAR: one root that is a well-formed v3 commit, the
/// signature (when a key is given; low-S and compact only), every block's hash (checked by
/// the CAR reader), a canonical tree (layers, prefixes, global key order, valid repo keys),
/// and every record present as a canonical DAG-CBOR map.
/// </summary>
public static class RepoVerifier
{
    public static async Task<VerifiedRepo> VerifyAsync(
        CarFile car, PublicKey? key = null, string? expectedDid = null, CancellationToken ct = default)
    {
        if (car.Roots.Count != 1)
        {
            throw new RepoFormatException($"a repository CAR has exactly one root, found {car.Roots.Count}");
        }
        var commitCid = car.Roots[0];
        if (!car.TryGetBlock(commitCid, out var commitBytes))
        {
            throw new RepoFormatException($"commit block {commitCid} is missing");
        }
        var commit = RepoCommit.Decode(commitBytes.Span);
        if (expectedDid is not null && commit.Did != expectedDid)
        {
            throw new RepoFormatException($"commit is for {commit.Did}, expected {expectedDid}");
        }
        if (key is not null && !commit.VerifySignature(key))
        {
            throw new RepoFormatException($"commit signature does not verify with {key.ToDidKey()} (signatures must be 64-byte low-S)");
        }
        var records = await VerifyTreeAsync(new CarBlockReader(car), commit.Data, ct).ConfigureAwait(false);
        return new VerifiedRepo(commitCid, commit, records, car.Blocks.Count);
    }

    public static async Task<IReadOnlyList<MstLeaf>> VerifyTreeAsync(IBlockReader blocks, Cid root, CancellationToken ct = default)
    {
        var records = new List<MstLeaf>();
        try
        {
            var tree = await Mst.Mst.LoadAsync(blocks, root, ct).ConfigureAwait(false);
            byte[]? previous = null;
            await foreach (var leaf in tree.WalkAsync(ct: ct).ConfigureAwait(false))
            {
                if (previous is not null && previous.AsSpan().SequenceCompareTo(leaf.KeyBytes) >= 0)
                {
                    throw new RepoFormatException($"tree keys out of order at {leaf.Key}");
                }
                if (!RepoPath.TryParse(leaf.Key, out _, out _))
                {
                    throw new RepoFormatException($"tree key {leaf.Key} is not collection/rkey");
                }
                var record = await blocks.GetBlockAsync(leaf.Value, ct).ConfigureAwait(false)
                    ?? throw new RepoFormatException($"record {leaf.Key} ({leaf.Value}) is missing");
                if (leaf.Value.Codec != Multicodec.DagCbor || DagCbor.Decode(record.Span) is not DataMap)
                {
                    throw new RepoFormatException($"record {leaf.Key} is not a DAG-CBOR map");
                }
                previous = leaf.KeyBytes;
                records.Add(leaf);
            }
        }
        catch (MissingBlockException e)
        {
            throw new RepoFormatException($"incomplete repository: {e.Message}", e);
        }
        catch (MstFormatException e)
        {
            throw new RepoFormatException($"invalid tree: {e.Message}", e);
        }
        catch (DagCborFormatException e)
        {
            throw new RepoFormatException($"invalid record: {e.Message}", e);
        }
        return records;
    }
}
