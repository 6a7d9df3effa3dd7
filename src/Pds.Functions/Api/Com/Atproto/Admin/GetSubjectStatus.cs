using System.Text.Json.Nodes;
using Pds.Core.Storage;
using Pds.Core.Xrpc;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Admin;

/// <summary>Takedown state of an account (repo subjects only; record and blob takedowns are not supported).</summary>
public sealed class GetSubjectStatus : IXrpcMethod
{
    public string Nsid => "com.atproto.admin.getSubjectStatus";
    public XrpcKind Kind => XrpcKind.Query;

    public async Task HandleAsync(XrpcContext x)
    {
        x.RequireAdmin();
        var did = x.Query("did") ?? throw XrpcException.InvalidRequest("Only account (did) subjects are supported");
        var account = await x.Service<IAccountStore>().GetByDidAsync(did, x.Aborted)
            ?? throw XrpcException.BadRequest("NotFound", "Subject not found");
        await x.WriteJsonAsync(new JsonObject
        {
            ["subject"] = AccountViews.RepoRef(did),
            ["takedown"] = new JsonObject { ["applied"] = account.Status == AccountStatus.Takendown },
            // The holder's deactivation, also while a takedown hides it.
            ["deactivated"] = new JsonObject { ["applied"] = account.Deactivated },
        });
    }
}
