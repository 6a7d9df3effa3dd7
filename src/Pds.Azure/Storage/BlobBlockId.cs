using System.Globalization;
using System.Text;

namespace Pds.Azure.Storage;

/// <summary>
/// Block ids: base64 of at most 64 bytes, and every id of one blob the same length (the service
/// rejects a mix). <see cref="FromIndex"/> gives such ids for blocks numbered 0..49,999.
/// </summary>
public static class BlobBlockId
{
    /// <summary>The most blocks one blob may have.</summary>
    public const int MaxBlocks = 50_000;

    private const int MaxDecodedBytes = 64;

    /// <summary>base64 of the six-digit index: eight characters, never '+', '/' or padding.</summary>
    public static string FromIndex(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, MaxBlocks);
        return Convert.ToBase64String(Encoding.ASCII.GetBytes(index.ToString("D6", CultureInfo.InvariantCulture)));
    }

    internal static string Validate(string blockId, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(blockId, paramName);
        var decoded = new byte[blockId.Length];
        if (!Convert.TryFromBase64String(blockId, decoded, out var n) || n == 0 || n > MaxDecodedBytes)
        {
            throw new ArgumentException($"a block id is base64 of 1 to {MaxDecodedBytes} bytes", paramName);
        }
        return blockId;
    }
}
