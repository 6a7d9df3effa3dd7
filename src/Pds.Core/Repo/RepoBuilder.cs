using Pds.Core.Cbor;
using Pds.Core.Crypto;
using Pds.Core.DataModel;
using Pds.Core.Ipld;
using Pds.Core.Mst;
using Pds.Core.Syntax;

namespace Pds.Core.Repo;

/// <summary>
/// Builds a whole repository from a record set in one pass (imports, fixtures, benchmarks):
/// encode every record, build the tree in bulk, sign one commit.
/// </summary>
public static class RepoBuilder
{
    public static async Task<(RepoHead Head, MemoryBlockStore Blocks)> BuildAsync(
        string did, IEnumerable<(string Path, DataMap Record)> records, ISigner signer, Tid rev, CancellationToken ct = default)
    {
        var blocks = new MemoryBlockStore();
        var writer = new DagCborWriter();
        var leaves = new List<KeyValuePair<byte[], Cid>>();
        foreach (var (path, record) in records)
        {
            writer.Reset();
            DagCbor.Write(writer, record);
            var cid = blocks.PutDagCbor(writer.ToArray());
            leaves.Add(new(System.Text.Encoding.UTF8.GetBytes(path), cid));
        }
        var tree = MstBuilder.Build(leaves, blocks);
        var data = tree.Commit(blocks.Put);
        var commit = await RepoCommit.SignAsync(did, data, rev, signer, ct).ConfigureAwait(false);
        var commitCid = blocks.PutDagCbor(commit.Encode());
        return (new RepoHead(commitCid, commit), blocks);
    }
}
