using Pds.Azure.Storage;
using Pds.Core.Ipld;
using Pds.Core.Storage;

namespace Pds.Azure.Adapters.Repos;

/// <summary>
/// The layout of one repository's partition (PartitionKey = the encoded DID), chosen so a whole
/// commit is one entity-group transaction:
/// <list type="bullet">
/// <item><c>head</c>: commit CID, rev, commit bytes, and the index-repair marker.</item>
/// <item><c>b!{cid}</c>: a block (with <c>b!{cid}!{n}</c> continuation rows past 960 KiB).</item>
/// <item><c>r!{collection}!{rkey}</c> and <c>q!{collection}!{mirrored rkey}</c>: the record
///   index in ascending and descending order, each with the record bytes inline so getRecord and
///   listRecords are one request.</item>
/// <item><c>o!{ticks}!{event id}</c>: outbox events waiting for the sequencer.</item>
/// </list>
/// '!' sorts below every character of NSIDs, record keys and CIDs, so each prefix is a clean range.
/// </summary>
public static class RepoRows
{
    public const string Head = "head";
    public const string BlockPrefix = "b!";
    public const string RecordPrefix = "r!";
    public const string ReversePrefix = "q!";
    public const string OutboxPrefix = "o!";

    /// <summary>Record bytes above this are not inlined in index rows (read from the block instead).</summary>
    public const int MaxInlineRecordBytes = 512 * 1024;

    public static string Partition(string did) => TableKey.Encode(did);

    public static string Block(Cid cid) => BlockPrefix + cid;

    public static string Record(string collection, string rkey) => CollectionPrefix(collection) + TableKey.Encode(rkey);

    public static string Reverse(string collection, string rkey) => ReverseCollectionPrefix(collection) + RecordKeyOrder.Descending(rkey);

    public static string CollectionPrefix(string collection) => RecordPrefix + TableKey.Encode(collection) + "!";

    public static string ReverseCollectionPrefix(string collection) => ReversePrefix + TableKey.Encode(collection) + "!";

    public static TableEntity HeadEntity(string did, StoredHead head)
    {
        var e = new TableEntity(Partition(did), Head)
            .Set("Cid", head.CommitCid.Bytes.ToArray())
            .Set("Rev", head.Rev);
        EntityBytes.Write(e, "Commit", head.CommitBytes);
        return e;
    }

    public static StoredHead ReadHead(string did, TableEntity e) => new(
        did,
        Cid.FromBytes(e.GetBinary("Cid") ?? throw Corrupt(e, "Cid")),
        e.GetString("Rev") ?? throw Corrupt(e, "Rev"),
        EntityBytes.Read(e, "Commit") ?? throw Corrupt(e, "Commit"));

    /// <summary>Both index rows of a record; the bytes ride along when small enough.</summary>
    public static IEnumerable<TableEntity> RecordEntities(string did, string collection, string rkey, Cid cid, byte[]? bytes, string rev)
    {
        foreach (var key in new[] { Record(collection, rkey), Reverse(collection, rkey) })
        {
            var e = new TableEntity(Partition(did), key)
                .Set("Collection", collection)
                .Set("Rkey", rkey)
                .Set("Cid", cid.Bytes.ToArray())
                .Set("Rev", rev);
            if (bytes is not null && bytes.Length <= MaxInlineRecordBytes)
            {
                EntityBytes.Write(e, "Bytes", bytes);
            }
            yield return e;
        }
    }

    public static Cid RecordCid(TableEntity e) => Cid.FromBytes(e.GetBinary("Cid") ?? throw Corrupt(e, "Cid"));

    public static InvalidDataException Corrupt(TableEntity e, string property) =>
        new($"repository row ({e.PartitionKey}, {e.RowKey}) has no valid {property}");
}
