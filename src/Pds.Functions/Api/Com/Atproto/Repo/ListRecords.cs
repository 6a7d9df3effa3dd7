using System.Text.Json.Nodes;
using Pds.Core.Cbor;
using Pds.Core.DataModel;
using Pds.Core.Storage;
using Pds.Core.Xrpc;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Repo;

/// <summary>Newest first (descending rkey) by default; <c>reverse=true</c> lists oldest first.</summary>
public sealed class ListRecords : IXrpcMethod
{
    public string Nsid => "com.atproto.repo.listRecords";
    public XrpcKind Kind => XrpcKind.Query;

    public async Task HandleAsync(XrpcContext x)
    {
        var repo = x.RequiredQuery("repo");
        var collection = RepoInputs.Collection(x.RequiredQuery("collection"));
        var limit = x.QueryInt("limit", 50, 1, 100);
        var cursor = x.Query("cursor");
        var reverse = x.QueryBool("reverse");
        var account = await RepoInputs.FindRepoAsync(x, repo);
        if (account is null || account.Status != AccountStatus.Active)
        {
            throw XrpcException.BadRequest("RepoNotFound", $"Could not find repo: {repo}");
        }
        var records = await x.Service<IRepoStore>().ListRecordsAsync(account.Did, collection.ToString(), limit, cursor, reverse: !reverse, x.Aborted);
        var list = new JsonArray();
        foreach (var r in records)
        {
            list.Add(new JsonObject
            {
                ["uri"] = RepoInputs.Uri(account.Did, r.Collection, r.Rkey),
                ["cid"] = r.Cid.ToString(),
                ["value"] = JsonNode.Parse(DataModelJson.ToJsonString(DagCbor.Decode(r.Bytes))),
            });
        }
        var result = new JsonObject { ["records"] = list };
        if (records.Count == limit)
        {
            result["cursor"] = records[^1].Rkey;
        }
        await x.WriteJsonAsync(result);
    }
}
