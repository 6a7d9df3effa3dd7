using System.Text.Json.Nodes;
using Pds.Core.Storage;
using Pds.Core.Xrpc;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Sync;

public sealed class GetRepoStatus : IXrpcMethod
{
    public string Nsid => "com.atproto.sync.getRepoStatus";
    public XrpcKind Kind => XrpcKind.Query;

    public async Task HandleAsync(XrpcContext x)
    {
        var did = x.RequiredQuery("did");
        var account = await x.Service<IAccountStore>().GetByDidAsync(did, x.Aborted);
        if (account is null)
        {
            throw XrpcException.BadRequest("RepoNotFound", $"Could not find repo for DID: {did}");
        }
        var result = new JsonObject { ["did"] = did, ["active"] = account.Status == AccountStatus.Active };
        if (SyncInputs.StatusName(account.Status) is { } status)
        {
            result["status"] = status;
        }
        else if (await x.Service<IRepoStore>().GetHeadAsync(did, x.Aborted) is { } head)
        {
            result["rev"] = head.Rev;
        }
        await x.WriteJsonAsync(result);
    }
}
