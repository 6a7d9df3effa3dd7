using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Pds.Core.Ipld;
using Pds.Core.Syntax;

namespace Pds.Sqlite;

/// <summary>
/// File names for blobs: &lt;root&gt;/tmp/&lt;key&gt; and &lt;root&gt;/&lt;did&gt;/&lt;cid&gt;. Every
/// part is checked against a strict alphabet and the result must stay under the root, so no
/// DID, CID or temp key can point outside it, whatever its origin.
/// </summary>
internal sealed partial class BlobPaths
{
    /// <summary>A temp key is 16 random bytes in lower-case hex.</summary>
    public const int TempKeyLength = 32;

    // Longest file name used as is; longer DIDs (did:web on a long host) are hashed.
    private const int MaxNameLength = 200;

    private readonly string _root;

    public BlobPaths(string root)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        Temp = Path.Combine(_root, "tmp");
    }

    public string Temp { get; }

    public static string NewTempKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(TempKeyLength / 2));

    public string TempFile(string tempKey)
    {
        if (tempKey.Length != TempKeyLength || !LowerHex().IsMatch(tempKey))
        {
            throw new ArgumentException("not a temp blob key", nameof(tempKey));
        }
        return Contained(Path.Combine(Temp, tempKey));
    }

    public string Directory(string did) => Contained(Path.Combine(_root, DirectoryName(did)));

    public string File(string did, Cid cid)
    {
        var name = cid.ToString();
        if (!Base32Lower().IsMatch(name))
        {
            throw new ArgumentException("unexpected CID string form", nameof(cid));
        }
        return Contained(Path.Combine(Directory(did), name));
    }

    /// <summary>
    /// ':' becomes '+', which no DID contains (unlike '_' and '%'), so distinct DIDs get distinct
    /// names; case is kept (did:plc identifiers are lower-case; did:web hosts are case-insensitive anyway).
    /// </summary>
    private static string DirectoryName(string did)
    {
        if (!Did.TryParse(did, out _))
        {
            throw new ArgumentException("not a DID", nameof(did));
        }
        var name = did.Replace(':', '+');
        return name.Length <= MaxNameLength
            ? name
            : "h_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(did)));
    }

    private string Contained(string path)
    {
        var full = Path.GetFullPath(path);
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException("blob path escapes the blob directory");
        }
        return full;
    }

    [GeneratedRegex("^[0-9a-f]+$")]
    private static partial Regex LowerHex();

    [GeneratedRegex("^b[a-z2-7]+$")]
    private static partial Regex Base32Lower();
}
