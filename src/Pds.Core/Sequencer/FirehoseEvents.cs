using Pds.Core.Car;
using Pds.Core.DataModel;
using Pds.Core.Ipld;
using Pds.Core.Repo;
using Pds.Core.Storage;
using Pds.Core.Syntax;

namespace Pds.Core.Sequencer;

/// <summary>
/// Builds the bodies of subscribeRepos events, without <c>seq</c>: the sequencer adds it.
/// Field names and nullability follow com.atproto.sync.subscribeRepos.
/// </summary>
public static class FirehoseEvents
{
    public const string Commit = "#commit";
    public const string Identity = "#identity";
    public const string Account = "#account";
    public const string Sync = "#sync";
    public const string Info = "#info";

    /// <summary>Frames larger than this are refused by consumers; the blocks CAR has its own 2 MB cap.</summary>
    public const int MaxBlocksBytes = 2_000_000;
    public const int MaxOps = 200;

    public static PendingEvent ForCommit(string did, CommitResult commit, Func<Cid, byte[]> block, DateTimeOffset time)
    {
        var car = CarWriter.ToBytes([commit.CommitCid], commit.FirehoseBlocks.Select(c => new CarBlock(c, block(c))));
        var tooBig = car.Length > MaxBlocksBytes || commit.Ops.Count > MaxOps;
        var ops = commit.Ops.Select(op =>
        {
            var fields = new List<KeyValuePair<string, DataValue>>
            {
                new("action", DataValue.Of(op.ActionName)),
                new("path", DataValue.Of(op.Path)),
                new("cid", op.Cid is null ? DataValue.Null : DataValue.Of(op.Cid)),
            };
            if (op.Prev is not null)
            {
                fields.Add(new("prev", DataValue.Of(op.Prev)));
            }
            return (DataValue)DataMap.Create(fields);
        }).ToList();
        var body = new List<KeyValuePair<string, DataValue>>
        {
            new("rebase", DataValue.False),
            new("tooBig", DataValue.Of(tooBig)),
            new("repo", DataValue.Of(did)),
            new("commit", DataValue.Of(commit.CommitCid)),
            new("rev", DataValue.Of(commit.Rev)),
            new("since", commit.Since is null ? DataValue.Null : DataValue.Of(commit.Since)),
            new("blocks", DataValue.Of(tooBig ? [] : car)),
            new("ops", tooBig ? DataArray.Empty : new DataArray(ops)),
            new("blobs", DataArray.Empty),
            new("time", DataValue.Of(AtDatetime.Format(time))),
        };
        if (commit.PrevData is not null)
        {
            body.Add(new("prevData", DataValue.Of(commit.PrevData)));
        }
        return Pending(did, Commit, DataMap.Create(body), time);
    }

    public static PendingEvent ForIdentity(string did, string? handle, DateTimeOffset time)
    {
        var body = new List<KeyValuePair<string, DataValue>>
        {
            new("did", DataValue.Of(did)),
            new("time", DataValue.Of(AtDatetime.Format(time))),
        };
        if (handle is not null)
        {
            body.Add(new("handle", DataValue.Of(handle)));
        }
        return Pending(did, Identity, DataMap.Create(body), time);
    }

    /// <param name="status">Null when active; otherwise takendown, suspended, deleted, deactivated.</param>
    public static PendingEvent ForAccount(string did, bool active, string? status, DateTimeOffset time)
    {
        var body = new List<KeyValuePair<string, DataValue>>
        {
            new("did", DataValue.Of(did)),
            new("time", DataValue.Of(AtDatetime.Format(time))),
            new("active", DataValue.Of(active)),
        };
        if (status is not null)
        {
            body.Add(new("status", DataValue.Of(status)));
        }
        return Pending(did, Account, DataMap.Create(body), time);
    }

    /// <summary>Asserts the current state of a repo: a CAR holding only the commit block.</summary>
    public static PendingEvent ForSync(string did, Cid commitCid, byte[] commitBytes, string rev, DateTimeOffset time)
    {
        var car = CarWriter.ToBytes([commitCid], [new CarBlock(commitCid, commitBytes)]);
        var body = DataMap.Create(
            ("did", DataValue.Of(did)),
            ("blocks", DataValue.Of(car)),
            ("rev", DataValue.Of(rev)),
            ("time", DataValue.Of(AtDatetime.Format(time))));
        return Pending(did, Sync, body, time);
    }

    /// <summary>The stored frame: the pending body with its seq added.</summary>
    public static byte[] Frame(PendingEvent pending, long seq)
    {
        var body = Cbor.DagCbor.DecodeMap(pending.Body);
        var withSeq = DataMap.Create(body.Entries.Append(new("seq", DataValue.Of(seq))));
        return FrameCodec.Message(pending.Type, withSeq);
    }

    private static PendingEvent Pending(string did, string type, DataMap body, DateTimeOffset time) =>
        new(Guid.NewGuid().ToString("N"), did, type, Cbor.DagCbor.Encode(body), time);
}
