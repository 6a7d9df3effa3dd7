namespace Pds.Azure.Storage;

/// <summary>One block of a block blob: its id (base64) and size in bytes.</summary>
public sealed record BlobBlock(string Id, long Size);

/// <summary>
/// A block blob's committed blocks (its content, in order) and the staged blocks no
/// Put Block List has committed yet.
/// </summary>
public sealed record BlobBlockList(IReadOnlyList<BlobBlock> Committed, IReadOnlyList<BlobBlock> Uncommitted);
