using Pds.Azure.Storage;
using Pds.Core.Ipld;

namespace Pds.Azure.Adapters.Repos;

/// <summary>One repository's blocks: the process cache first, then a point read of <c>b!{cid}</c>.</summary>
internal sealed class AzureBlockReader(TableClient table, string did, BlockCache cache) : IBlockReader
{
    public async ValueTask<ReadOnlyMemory<byte>?> GetBlockAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        if (cache.TryGet(did, cid, out var cached))
        {
            return cached;
        }
        var first = await table.GetEntityAsync(RepoRows.Partition(did), RepoRows.Block(cid), ct: cancellationToken).ConfigureAwait(false);
        if (first is null)
        {
            return null;
        }
        var data = ChunkedRows.Read(await ChunkedRows.ReadAllRowsAsync(table, first, cancellationToken).ConfigureAwait(false));
        if (!cid.Matches(data))
        {
            throw new InvalidDataException($"block {cid} of {did} does not match its CID");
        }
        cache.Put(did, cid, data);
        return data;
    }
}
