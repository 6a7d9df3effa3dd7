using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Pds.Core.Ipld;
using Pds.Core.Syntax;

namespace Pds.Azure.Adapters.Blobs;

/// <summary>
/// Blob names in the blob container: <c>tmp/{key}</c> for uploads and <c>{did}/{cid}</c> for
/// permanent blobs. Every part is checked against a strict alphabet, so no caller-supplied
/// string can name another account's blobs or a temp blob it was not given. The DID keeps its
/// ':' (the client percent-encodes names in URLs), so distinct DIDs never share a name.
/// </summary>
public static partial class AzureBlobNames
{
    /// <summary>Where uploads wait until a record references them.</summary>
    public const string TempPrefix = "tmp/";

    /// <summary>A temp key is 16 random bytes in lower-case hex.</summary>
    public const int TempKeyLength = 32;

    // DIDs longer than this (a did:web on a long host; DIDs may reach 2 KiB) are hashed, which
    // keeps every name far below the 1024-character blob name limit.
    private const int MaxDidNameLength = 200;

    public static string NewTempKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(TempKeyLength / 2));

    /// <exception cref="ArgumentException">Not a key <see cref="NewTempKey"/> could have made.</exception>
    public static string Temp(string tempKey)
    {
        if (tempKey is null || tempKey.Length != TempKeyLength || !LowerHex().IsMatch(tempKey))
        {
            throw new ArgumentException("not a temp blob key", nameof(tempKey));
        }
        return TempPrefix + tempKey;
    }

    /// <summary>The prefix every permanent blob of the account starts with ("{did}/").</summary>
    /// <exception cref="ArgumentException">Not a DID.</exception>
    public static string AccountPrefix(string did) => DidName(did) + "/";

    /// <exception cref="ArgumentException">Not a DID, or a CID without the base32 string form.</exception>
    public static string Permanent(string did, Cid cid)
    {
        ArgumentNullException.ThrowIfNull(cid);
        var name = cid.ToString();
        if (!Base32Lower().IsMatch(name))
        {
            throw new ArgumentException("unexpected CID string form", nameof(cid));
        }
        return AccountPrefix(did) + name;
    }

    /// <summary>
    /// The DID as is (it has no '/', and cannot be "tmp"), or "h_" + SHA-256 hex when long; no DID
    /// starts with "h_", so the two forms never meet.
    /// </summary>
    private static string DidName(string did)
    {
        if (!Did.TryParse(did, out _))
        {
            throw new ArgumentException("not a DID", nameof(did));
        }
        return did.Length <= MaxDidNameLength
            ? did
            : "h_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(did)));
    }

    [GeneratedRegex("^[0-9a-f]+$")]
    private static partial Regex LowerHex();

    [GeneratedRegex("^b[a-z2-7]+$")]
    private static partial Regex Base32Lower();
}
