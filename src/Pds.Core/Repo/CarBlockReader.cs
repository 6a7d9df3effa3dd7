using Pds.Core.Car;
using Pds.Core.Ipld;

namespace Pds.Core.Repo;

/// <summary>Serves the blocks of an in-memory CAR to the tree and commit readers.</summary>
public sealed class CarBlockReader(CarFile car) : IBlockReader
{
    public ValueTask<ReadOnlyMemory<byte>?> GetBlockAsync(Cid cid, CancellationToken cancellationToken = default) =>
        new(car.TryGetBlock(cid, out var data) ? data : (ReadOnlyMemory<byte>?)null);
}
