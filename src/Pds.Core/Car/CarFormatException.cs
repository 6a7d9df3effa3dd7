namespace Pds.Core.Car;

/// <summary>
/// The one exception for malformed CAR input; DAG-CBOR and CID errors met while reading
/// a CAR are wrapped in it so callers catch a single type.
/// </summary>
public sealed class CarFormatException : FormatException
{
    public CarFormatException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    internal CarFormatException(string message, long offset, long blockIndex, Exception? innerException = null)
        : base(Describe(message, offset, blockIndex), innerException)
    {
        Offset = offset;
        BlockIndex = blockIndex < 0 ? null : blockIndex;
    }

    /// <summary>Byte offset in the CAR where the faulty header or section starts, when known.</summary>
    public long? Offset { get; }

    /// <summary>Zero-based index of the faulty block; null for header errors.</summary>
    public long? BlockIndex { get; }

    private static string Describe(string message, long offset, long blockIndex) =>
        blockIndex < 0
            ? $"CAR header at byte {offset}: {message}"
            : $"CAR block {blockIndex} at byte {offset}: {message}";
}
