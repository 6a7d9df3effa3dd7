namespace Pds.Core.Ipld;

/// <summary>Reads from new, not yet persisted blocks first, then from the store underneath.</summary>
public sealed class OverlayBlockReader(IBlockReader top, IBlockReader bottom) : IBlockReader
{
    public async ValueTask<ReadOnlyMemory<byte>?> GetBlockAsync(Cid cid, CancellationToken cancellationToken = default) =>
        await top.GetBlockAsync(cid, cancellationToken).ConfigureAwait(false)
        ?? await bottom.GetBlockAsync(cid, cancellationToken).ConfigureAwait(false);
}
