using Pds.Core.DataModel;
using Pds.Core.Ipld;
using Pds.Core.Syntax;

namespace Pds.Core.Repo;

public enum WriteAction
{
    Create,
    Update,
    Delete,
}

/// <summary>One requested change. Create and update carry the record; delete does not.</summary>
public sealed record RepoWrite(WriteAction Action, Nsid Collection, RecordKey Rkey, DataMap? Record = null)
{
    public string Path => RepoPath.Format(Collection, Rkey);

    public static RepoWrite Create(Nsid collection, RecordKey rkey, DataMap record) => new(WriteAction.Create, collection, rkey, record);
    public static RepoWrite Update(Nsid collection, RecordKey rkey, DataMap record) => new(WriteAction.Update, collection, rkey, record);
    public static RepoWrite Delete(Nsid collection, RecordKey rkey) => new(WriteAction.Delete, collection, rkey);
}

/// <summary>One applied change, as the firehose reports it: <c>cid</c> null for deletes, <c>prev</c> for updates and deletes.</summary>
public sealed record RepoOp(WriteAction Action, string Path, Cid? Cid, Cid? Prev)
{
    public string ActionName => Action switch
    {
        WriteAction.Create => "create",
        WriteAction.Update => "update",
        _ => "delete",
    };
}

/// <summary>Why a batch of writes cannot apply. <see cref="Kind"/> maps to an XRPC error at the edge.</summary>
public sealed class RepoWriteException(RepoWriteError kind, string message) : Exception(message)
{
    public RepoWriteError Kind { get; } = kind;
}

public enum RepoWriteError
{
    InvalidRecord,
    RecordAlreadyExists,
    RecordNotFound,
    DuplicatePath,
    TooManyWrites,
}
