namespace Pds.Core.Car;

/// <summary>Bounds and checks for reading untrusted CAR input.</summary>
public sealed record CarReaderOptions
{
    /// <summary>Room for any CID this library reads: version, codec and hash varints plus a 64-byte digest.</summary>
    public const int CidRoom = 4 * 9 + 64;

    public static CarReaderOptions Default { get; } = new();

    /// <summary>Largest header (DAG-CBOR bytes after the length prefix).</summary>
    public int MaxHeaderLength { get; init; } = 64 * 1024;

    /// <summary>
    /// Largest section (CID plus block bytes). atproto blocks stay well under 2 MiB, so the
    /// default is that plus room for the CID.
    /// </summary>
    public int MaxBlockLength { get; init; } = 2 * 1024 * 1024 + CidRoom;

    /// <summary>Most sections accepted, duplicates included.</summary>
    public long MaxBlocks { get; init; } = long.MaxValue;

    /// <summary>
    /// Hash every block and compare with its CID. When on, CIDs with a hash other than
    /// sha2-256 are rejected as unsupported since they cannot be checked.
    /// </summary>
    public bool VerifyBlockHashes { get; init; } = true;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxHeaderLength, 1, nameof(MaxHeaderLength));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxHeaderLength, CarSection.MaxLimit, nameof(MaxHeaderLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBlockLength, 1, nameof(MaxBlockLength));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxBlockLength, CarSection.MaxLimit, nameof(MaxBlockLength));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxBlocks, nameof(MaxBlocks));
    }
}
