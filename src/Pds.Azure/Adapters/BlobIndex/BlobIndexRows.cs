using System.Text;
using Pds.Azure.Adapters.Tables;
using Pds.Azure.Storage;
using Pds.Core.Ipld;
using Pds.Core.Storage;

namespace Pds.Azure.Adapters.BlobIndex;

/// <summary>
/// Where blob-index data lives. A partition per account (<c>d:{did}</c>) holds
/// <list type="bullet">
/// <item>blob rows <c>blob:{cid}</c>: metadata, <c>Permanent</c> = no temp key (filterable, unlike a missing property);</item>
/// <item>record rows <c>rec:{path}</c>: the CIDs the record references (the old set, when it is replaced)
/// and <c>Rev</c>, the commit that last wrote it (absent on rows written before revs were kept);</item>
/// <item>reference rows <c>ref:{cid}!{path}</c>: one per (blob, record), for "is it referenced" and
/// the missing-blob listing;</item>
/// <item>rev rows <c>rev:{rev}!{path}</c>: the record's CIDs again, under the rev its record row
/// names, so listing by <c>since</c> is one range scan over the records written after it;</item>
/// <item><c>revs-indexed</c>: present once every record row of the account has a rev row.</item>
/// </list>
/// CID strings are base32 ("b" + a-z2-7), so they need no escaping and sort as the listings want;
/// '!' sorts below every CID character, so a CID's reference rows sort before those of any longer
/// CID it is a prefix of (revs are TIDs, the same alphabet, so the same holds for rev rows).
/// Temporary uploads are also indexed in the shared partition <c>temp</c> as
/// <c>{created ticks}:{did}:{cid}</c>, so expired ones are one range scan.
/// </summary>
internal static class BlobIndexRows
{
    public const string TempPartition = "temp";
    public const string BlobPrefix = "blob:";
    public const string RecordPrefix = "rec:";
    public const string RefPrefix = "ref:";
    public const string RevPrefix = "rev:";
    public const string RevsIndexedKey = "revs-indexed";

    /// <summary>
    /// The rev given to record rows written before revs were kept: '~' sorts above every base32
    /// character, so their rev rows fall after any <c>since</c> and are always listed.
    /// </summary>
    public const string UnknownRev = "~";

    public const string CidName = "Cid";
    public const string DidName = "Did";
    public const string PathName = "Path";
    public const string Permanent = "Permanent";
    public const string CreatedAt = "CreatedAt";
    private const string MimeType = "MimeType";
    private const string Size = "Size";
    private const string TempKey = "TempKey";
    private const string Cids = "Cids";
    private const string Rev = "Rev";

    public static string Partition(string did) => StoreKey.Of("d:", did, nameof(did));

    public static string BlobKey(Cid cid) => StoreKey.Of(BlobPrefix, CidString(cid), nameof(cid));

    public static string RecordKey(string path) => StoreKey.Of(RecordPrefix, path, nameof(path));

    /// <summary>Every reference row of <paramref name="cid"/> starts with this.</summary>
    public static string RefsOf(string cid) => RefPrefix + cid + "!";

    public static string RefKey(string cid, string path) => StoreKey.Of(RefsOf(cid), path, nameof(path));

    public static string RevKey(string rev, string path) => StoreKey.Of(RevPrefix + TableKey.Encode(rev) + "!", path, nameof(path));

    /// <summary>The first rev-row suffix after every row of <paramref name="since"/>: '"' is the character after the '!' separator.</summary>
    public static string RevsAfter(string since) => TableKey.Encode(since) + "\"";

    /// <summary>The record path a record row's key was built from.</summary>
    public static string RecordPathOf(TableEntity row) => TableKey.Decode(row.RowKey[RecordPrefix.Length..]);

    public static string TempIndexKey(DateTimeOffset createdAt, string did, Cid cid) =>
        StoreKey.Of(StoreKey.Ticks(createdAt) + ":", did + ":" + CidString(cid), nameof(did));

    public static string CidString(Cid cid)
    {
        ArgumentNullException.ThrowIfNull(cid);
        return cid.ToString();
    }

    public static TableEntity BlobEntity(BlobRecord blob, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(blob.MimeType, nameof(blob));
        return new TableEntity(Partition(blob.Did), BlobKey(blob.Cid))
            .Set(CidName, blob.Cid.ToString())
            .Set(MimeType, blob.MimeType)
            .Set(Size, blob.Size)
            .SetOptional(TempKey, blob.TempKey)
            .Set(Permanent, blob.TempKey is null)
            .SetTime(CreatedAt, createdAt);
    }

    public static BlobRecord ReadBlob(string did, TableEntity row) => new(
        did, Cid.Parse(row.RequiredString(CidName)), row.RequiredString(MimeType), row.RequiredInt64(Size), row.GetString(TempKey),
        row.RequiredTime(CreatedAt));

    public static TableEntity TempIndexEntity(string did, Cid cid, DateTimeOffset createdAt) =>
        new TableEntity(TempPartition, TempIndexKey(createdAt, did, cid))
            .Set(DidName, did)
            .Set(CidName, cid.ToString())
            .SetTime(CreatedAt, createdAt);

    public static TableEntity RefEntity(string partition, string cid, string path) =>
        new TableEntity(partition, RefKey(cid, path)).Set(CidName, cid).Set(PathName, path);

    /// <summary>
    /// The record row: its CIDs newline-separated, spread by <see cref="EntityBytes"/> (records may
    /// reference many blobs), and the rev whose rev row lists them (null: none does yet).
    /// </summary>
    public static TableEntity RecordEntity(string partition, string path, IEnumerable<string> cids, string? rev) =>
        WithCids(new TableEntity(partition, RecordKey(path)), cids).SetOptional(Rev, rev);

    /// <summary>The rev row: the same CIDs, keyed by rev for the <c>since</c> listing.</summary>
    public static TableEntity RevEntity(string partition, string rev, string path, IEnumerable<string> cids) =>
        WithCids(new TableEntity(partition, RevKey(rev, path)), cids);

    public static string? ReadRev(TableEntity? row) => row?.GetString(Rev);

    private static TableEntity WithCids(TableEntity row, IEnumerable<string> cids)
    {
        EntityBytes.Write(row, Cids, Encoding.UTF8.GetBytes(string.Join('\n', cids)));
        return row;
    }

    /// <summary>The CIDs of a record row or a rev row (empty for no row).</summary>
    public static List<string> ReadRecordCids(TableEntity? row)
    {
        if (row is null)
        {
            return [];
        }
        var bytes = EntityBytes.Read(row, Cids) ?? throw new InvalidDataException($"record row {row.RowKey} has no CID list");
        return Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
