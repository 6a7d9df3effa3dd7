using Pds.Core.Ipld;

namespace Pds.Sqlite;

/// <summary>The blocks of one repository.</summary>
internal sealed class SqliteBlockReader(SqliteDatabase db, string did) : IBlockReader
{
    public async ValueTask<ReadOnlyMemory<byte>?> GetBlockAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        var bytes = await db.ReadAsync(
            (c, ct) => c.QuerySingleAsync(
                "SELECT data FROM repo_block WHERE did = $did AND cid = $cid;", r => r.GetBytes(0), ct,
                ("$did", did), ("$cid", cid.Bytes.ToArray())),
            cancellationToken).ConfigureAwait(false);
        // Not a conditional: null would convert to an empty ReadOnlyMemory through byte[].
        if (bytes is null)
        {
            return default(ReadOnlyMemory<byte>?);
        }
        return bytes;
    }
}
