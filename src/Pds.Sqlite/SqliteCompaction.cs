using Microsoft.Data.Sqlite;
using Pds.Core.Ipld;
using Pds.Core.Repo;

namespace Pds.Sqlite;

/// <summary>
/// Deletes the blocks a repository's head does not reach. Commits do this for what they replace;
/// this pass is for repositories written before they did (schema v3).
/// </summary>
internal static class SqliteCompaction
{
    public static async Task CompactAllAsync(SqliteConnection c, CancellationToken ct)
    {
        var heads = await c.QueryAsync(
            "SELECT did, commit_cid, commit_bytes FROM repo_head;",
            r => (Did: r.GetString(0), Head: new RepoHead(Cid.FromBytes(r.GetBytes(1)), RepoCommit.Decode(r.GetBytes(2)))), ct).ConfigureAwait(false);
        foreach (var (did, head) in heads)
        {
            await CompactAsync(c, did, head, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Returns how many blocks were deleted.</summary>
    public static async Task<int> CompactAsync(SqliteConnection c, string did, RepoHead head, CancellationToken ct)
    {
        var blocks = new Dictionary<Cid, ReadOnlyMemory<byte>>();
        foreach (var (cid, data) in await c.QueryAsync(
            "SELECT cid, data FROM repo_block WHERE did = $did;", r => (Cid.FromBytes(r.GetBytes(0)), r.GetBytes(1)), ct, ("$did", did)).ConfigureAwait(false))
        {
            blocks[cid] = data;
        }
        var reachable = new HashSet<Cid>();
        try
        {
            await foreach (var (cid, _) in RepoExport.ReachableAsync(blocks, head, ct).ConfigureAwait(false))
            {
                reachable.Add(cid);
            }
        }
        catch (Exception e) when (e is MissingBlockException or Pds.Core.Mst.MstFormatException or Pds.Core.Cbor.DagCborFormatException)
        {
            // A tree that cannot be walked keeps every block: deleting on a guess could lose data.
            return 0;
        }
        var deleted = 0;
        foreach (var cid in blocks.Keys.Where(k => !reachable.Contains(k)))
        {
            deleted += await c.ExecuteAsync(
                "DELETE FROM repo_block WHERE did = $did AND cid = $cid;", ct, ("$did", did), ("$cid", cid.Bytes.ToArray())).ConfigureAwait(false);
        }
        return deleted;
    }
}
