using System.Text.Json.Nodes;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Sync;

public sealed class GetLatestCommit : IXrpcMethod
{
    public string Nsid => "com.atproto.sync.getLatestCommit";
    public XrpcKind Kind => XrpcKind.Query;

    public async Task HandleAsync(XrpcContext x)
    {
        var (_, head) = await SyncInputs.RequireRepoAsync(x, x.RequiredQuery("did"));
        await x.WriteJsonAsync(new JsonObject { ["cid"] = head.CommitCid.ToString(), ["rev"] = head.Rev });
    }
}
