using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Pds.Core.Mst;

/// <summary>Facts about MST keys: their layer, prefix compression, and what a repo key may look like.</summary>
public static class MstKey
{
    public const int MaxLength = 1024;

    /// <summary>Leading zero bits of SHA-256(key), halved: the tree has fan-out 4.</summary>
    public static int Height(ReadOnlySpan<byte> key)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(key, hash);
        var zeros = 0;
        foreach (var b in hash)
        {
            if (b == 0)
            {
                zeros += 8;
                continue;
            }
            zeros += BitOperations.LeadingZeroCount((uint)b) - 24;
            break;
        }
        return zeros / 2;
    }

    public static int Height(string key) => Height(Encoding.UTF8.GetBytes(key));

    public static int CommonPrefixLength(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.CommonPrefixLength(b);

    /// <summary>
    /// Repo keys are <c>collection/rkey</c>: one slash, both sides non-empty, the record-key
    /// character set, at most 1024 bytes. The tree itself stores any bytes.
    /// </summary>
    public static bool IsValidRepoKey(ReadOnlySpan<byte> key)
    {
        if (key.Length == 0 || key.Length > MaxLength)
        {
            return false;
        }
        var slash = key.IndexOf((byte)'/');
        if (slash <= 0 || slash == key.Length - 1 || key[(slash + 1)..].Contains((byte)'/'))
        {
            return false;
        }
        foreach (var c in key)
        {
            var ok = c is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'_' or (byte)'~' or (byte)'-' or (byte)':' or (byte)'.' or (byte)'/';
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }
}
