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
        if (!Did.TryParse(did, out _))
        {
            throw XrpcException.InvalidRequest("did must be a valid DID");
        }
        var account = await x.Service<IAccountStore>().GetByDidAsync(did, x.Aborted);
        var head = account is null ? null : await x.Service<IRepoStore>().GetHeadAsync(did, x.Aborted);
        if (account is null || head is null || account.Status == AccountStatus.Deleted)
        {
            throw XrpcException.BadRequest("RepoNotFound", $"Could not find repo for DID: {did}");
        }
        return account.Status switch
        {
            AccountStatus.Takendown => throw XrpcException.BadRequest("RepoTakendown", $"Repo has been takendown: {did}"),
            AccountStatus.Suspended => throw XrpcException.BadRequest("RepoSuspended", $"Repo has been suspended: {did}"),
            AccountStatus.Deactivated => throw XrpcException.BadRequest("RepoDeactivated", $"Repo has been deactivated: {did}"),
            _ => (account, head),
        };
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
