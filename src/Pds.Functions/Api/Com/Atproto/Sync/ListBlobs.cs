using System.Text.Json.Nodes;
using Pds.Core.Storage;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Sync;

/// <summary>
/// The account's blob CIDs in CID order; with <c>since</c>, only those referenced by records
/// written after that rev (a consumer catching up fetches just the new blobs).
/// </summary>
public sealed class ListBlobs : IXrpcMethod
{
    public string Nsid => "com.atproto.sync.listBlobs";
    public XrpcKind Kind => XrpcKind.Query;

    public async Task HandleAsync(XrpcContext x)
    {
        var did = x.RequiredQuery("did");
        var limit = x.QueryInt("limit", 500, 1, 1000);
        var since = SyncInputs.OptionalSince(x);
        await SyncInputs.RequireRepoAsync(x, did);
        var cids = await x.Service<IBlobIndex>().ListAsync(did, limit, x.Query("cursor"), since, x.Aborted);
        var result = new JsonObject { ["cids"] = new JsonArray([.. cids.Select(c => (JsonNode)c.ToString())]) };
        if (cids.Count == limit)
        {
            result["cursor"] = cids[^1].ToString();
        }
        await x.WriteJsonAsync(result);
    }
}
