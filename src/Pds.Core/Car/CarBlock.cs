using Pds.Core.Ipld;

namespace Pds.Core.Car;

/// <summary>One CAR section: a block's CID and its bytes.</summary>
public readonly record struct CarBlock(Cid Cid, ReadOnlyMemory<byte> Data);
