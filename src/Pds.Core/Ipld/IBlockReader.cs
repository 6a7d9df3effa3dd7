namespace Pds.Core.Ipld;

/// <summary>
/// Read access to content-addressed blocks. Async because the cloud store answers over the
/// network; in-memory sources complete synchronously.
/// </summary>
public interface IBlockReader
{
    ValueTask<ReadOnlyMemory<byte>?> GetBlockAsync(Cid cid, CancellationToken cancellationToken = default);
}
