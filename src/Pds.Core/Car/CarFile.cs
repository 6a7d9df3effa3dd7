using Pds.Core.Ipld;

namespace Pds.Core.Car;

/// <summary>
/// A whole CAR read into memory: its roots and its blocks by CID. Block data are slices
/// of the input, so the input must not be changed while they are in use.
/// </summary>
public sealed class CarFile
{
    private readonly Dictionary<Cid, ReadOnlyMemory<byte>> _blocks;

    internal CarFile(Cid[] roots, Dictionary<Cid, ReadOnlyMemory<byte>> blocks, long sectionCount)
    {
        Roots = roots;
        _blocks = blocks;
        SectionCount = sectionCount;
    }

    public IReadOnlyList<Cid> Roots { get; }

    /// <summary>Distinct blocks; a CID that appears more than once keeps its first section.</summary>
    public IReadOnlyDictionary<Cid, ReadOnlyMemory<byte>> Blocks => _blocks;

    /// <summary>Sections read, duplicates included.</summary>
    public long SectionCount { get; }

    public bool TryGetBlock(Cid cid, out ReadOnlyMemory<byte> data) => _blocks.TryGetValue(cid, out data);
}
