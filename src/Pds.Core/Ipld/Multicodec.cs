namespace Pds.Core.Ipld;

/// <summary>Multicodec and multihash codes atproto uses.</summary>
public static class Multicodec
{
    public const ulong Raw = 0x55;
    public const ulong DagCbor = 0x71;
    public const ulong Sha2_256 = 0x12;
    public const int Sha2_256Length = 32;
}
