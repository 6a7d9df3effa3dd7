using Pds.Core.Ipld;
using Pds.Core.Storage;
using Pds.Core.Syntax;
using Pds.Core.Xrpc;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Sync;

/// <summary>The sync methods serve only hosted, active repos; others get the lexicon's status errors.</summary>
public static class SyncInputs
{
    public const string CarType = "application/vnd.ipld.car";

    public static async Task<(AccountRecord Account, StoredHead Head)> RequireRepoAsync(XrpcContext x, string did)
    {
        var account = await RequireAccountAsync(x, did);
        var head = await x.Service<IRepoStore>().GetHeadAsync(did, x.Aborted) ?? throw RepoNotFound(did);
        return (account, head);
    }

    /// <summary>The account checks of <see cref="RequireRepoAsync"/>, for callers that read the head their own way.</summary>
    public static async Task<AccountRecord> RequireAccountAsync(XrpcContext x, string did)
    {
        if (!Did.TryParse(did, out _))
        {
            throw XrpcException.InvalidRequest("did must be a valid DID");
        }
        var account = await x.Service<IAccountStore>().GetByDidAsync(did, x.Aborted);
        if (account is null || account.Status == AccountStatus.Deleted)
        {
            throw RepoNotFound(did);
        }
        return account.Status switch
        {
            AccountStatus.Takendown => throw XrpcException.BadRequest("RepoTakendown", $"Repo has been takendown: {did}"),
            AccountStatus.Suspended => throw XrpcException.BadRequest("RepoSuspended", $"Repo has been suspended: {did}"),
            AccountStatus.Deactivated => throw XrpcException.BadRequest("RepoDeactivated", $"Repo has been deactivated: {did}"),
            _ => account,
        };
    }

    /// <summary>The optional <c>since</c> parameter (a repo rev, so a TID), or null when absent.</summary>
    public static string? OptionalSince(XrpcContext x)
    {
        var since = x.Query("since");
        return since is null || Tid.TryParse(since, out _) ? since : throw XrpcException.InvalidRequest("since must be a TID");
    }

    public static XrpcException RepoNotFound(string did) => XrpcException.BadRequest("RepoNotFound", $"Could not find repo for DID: {did}");

    /// <summary>
    /// Runs a read that walks the tree from the head. A commit deletes the blocks its head stops
    /// reaching, so a walk that started on a head that has since moved can find a block gone:
    /// then it starts again on the new head. A block missing under an unchanged head is corruption.
    /// </summary>
    public static async Task<T> ReadFromHeadAsync<T>(XrpcContext x, string did, StoredHead head, Func<StoredHead, Task<T>> read)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await read(head);
            }
            catch (MissingBlockException) when (attempt < 3)
            {
                var now = await x.Service<IRepoStore>().GetHeadAsync(did, x.Aborted);
                if (now is null || now.CommitCid == head.CommitCid)
                {
                    throw;
                }
                head = now;
            }
        }
    }

    /// <summary>The lexicon's status word for a non-active account (null when active).</summary>
    public static string? StatusName(AccountStatus status) => status switch
    {
        AccountStatus.Active => null,
        AccountStatus.Takendown => "takendown",
        AccountStatus.Suspended => "suspended",
        AccountStatus.Deleted => "deleted",
        _ => "deactivated",
    };
}
