using System.Text.Json;
using System.Text.Json.Nodes;
using Pds.Core.Services;
using Pds.Core.Storage;
using Pds.Core.Xrpc;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Admin;

/// <summary>Takes an account down (or restores it): status, #account event, and its sessions revoked.</summary>
public sealed class UpdateSubjectStatus : IXrpcMethod
{
    public string Nsid => "com.atproto.admin.updateSubjectStatus";
    public XrpcKind Kind => XrpcKind.Procedure;

    public async Task HandleAsync(XrpcContext x)
    {
        x.RequireAdmin();
        var body = await x.ReadJsonAsync();
        if (!body.TryGetProperty("subject", out var subject) || subject.ValueKind != JsonValueKind.Object
            || RepoInputs.OptionalString(subject, "did") is not { } did)
        {
            throw XrpcException.InvalidRequest("Only account (repoRef) subjects are supported");
        }
        var account = await x.Service<IAccountStore>().GetByDidAsync(did, x.Aborted) ?? throw XrpcException.BadRequest("NotFound", "Subject not found");
        var result = new JsonObject { ["subject"] = AccountViews.RepoRef(did) };
        if (body.TryGetProperty("takedown", out var takedown) && takedown.ValueKind == JsonValueKind.Object)
        {
            var applied = takedown.TryGetProperty("applied", out var a) && a.ValueKind == JsonValueKind.True;
            var accounts = x.Service<AccountService>();
            if (applied && account.Status != AccountStatus.Takendown)
            {
                await accounts.SetTakedownAsync(account, true, null, x.Aborted);
                await x.Service<ISessionStore>().DeleteRefreshTokensForAccountAsync(did, x.Aborted);
            }
            else if (!applied && account.Status == AccountStatus.Takendown)
            {
                // Back to active, or to deactivated if the holder had deactivated it: the service decides.
                await accounts.SetTakedownAsync(account, false, await x.Service<IRepoStore>().GetHeadAsync(did, x.Aborted), x.Aborted);
            }
            result["takedown"] = new JsonObject { ["applied"] = applied };
        }
        await x.WriteJsonAsync(result);
    }
}
