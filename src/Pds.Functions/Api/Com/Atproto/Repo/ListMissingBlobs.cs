using System.Text.Json.Nodes;
using Pds.Core.Storage;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Repo;

/// <summary>Blobs that the caller's records reference but that were never uploaded here (after a migration).</summary>
public sealed class ListMissingBlobs : IXrpcMethod
{
    public string Nsid => "com.atproto.repo.listMissingBlobs";
    public XrpcKind Kind => XrpcKind.Query;

    public async Task HandleAsync(XrpcContext x)
    {
        var auth = x.RequireAuth();
        var limit = x.QueryInt("limit", 500, 1, 1000);
        var missing = await x.Service<IBlobIndex>().ListMissingAsync(auth.Did, limit, x.Query("cursor"), x.Aborted);
        var result = new JsonObject
        {
            ["blobs"] = new JsonArray([.. missing.Select(m => (JsonNode)new JsonObject { ["cid"] = m.Cid.ToString(), ["recordUri"] = $"at://{auth.Did}/{m.RecordPath}" })]),
        };
        if (missing.Count == limit)
        {
            result["cursor"] = missing[^1].Cid.ToString();
        }
        await x.WriteJsonAsync(result);
    }
}
