using System.Text;
using Pds.Core.Ipld;
using Pds.Core.Storage;
using Pds.Core.Syntax;

namespace Pds.Storage.Tests.Contracts;

/// <summary>
/// Commits with made-up blocks: storage never decodes a commit or a record, it only files
/// bytes under their CIDs, so the contracts need no signing keys or trees.
/// </summary>
public static class SyntheticCommits
{
    private static readonly TidGenerator Tids = TidGenerator.WithRandomClockId();

    public static byte[] RecordBytes(string text) => Encoding.UTF8.GetBytes("record:" + text);

    /// <summary>A commit on <paramref name="parent"/> setting (record text) or deleting (null) each path.</summary>
    public static CommitWrite Commit(
        string did, StoredHead? parent, IReadOnlyList<(string Collection, string Rkey, string? Text)> changes, bool withEvent = true)
    {
        var rev = (parent is null ? Tids.Next() : Tids.NextAfter(Tid.Parse(parent.Rev))).ToString();
        var commitBytes = Encoding.UTF8.GetBytes($"commit:{did}:{rev}:{Guid.NewGuid()}");
        var head = new StoredHead(did, Cid.ForDagCbor(commitBytes), rev, commitBytes);
        var blocks = new Dictionary<Cid, byte[]> { [head.CommitCid] = commitBytes };
        var records = new List<RecordIndexChange>();
        foreach (var (collection, rkey, text) in changes)
        {
            Cid? cid = null;
            if (text is not null)
            {
                var bytes = RecordBytes(text);
                cid = Cid.ForDagCbor(bytes);
                blocks[cid] = bytes;
            }
            records.Add(new RecordIndexChange(collection, rkey, cid));
        }
        var pending = withEvent ? new PendingEvent(Guid.NewGuid().ToString("N"), did, "#commit", commitBytes, DateTimeOffset.UtcNow) : null;
        return new CommitWrite(parent?.CommitCid, head, blocks, records, pending);
    }

    public static CommitWrite Commit(string did, StoredHead? parent, params (string Collection, string Rkey, string? Text)[] changes) =>
        Commit(did, parent, changes, withEvent: true);
}
