using System.Text.Json.Nodes;
using Pds.Core.Cbor;
using Pds.Core.DataModel;
using Pds.Core.Storage;
using Pds.Core.Xrpc;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Repo;

public sealed class GetRecord : IXrpcMethod
{
    public string Nsid => "com.atproto.repo.getRecord";
    public XrpcKind Kind => XrpcKind.Query;

    public async Task HandleAsync(XrpcContext x)
    {
        var repo = x.RequiredQuery("repo");
        var collection = RepoInputs.Collection(x.RequiredQuery("collection"));
        var rkey = RepoInputs.Rkey(x.RequiredQuery("rkey"));
        var wantCid = x.Query("cid");
        var account = await RepoInputs.FindRepoAsync(x, repo);
        var record = account is null || account.Status != AccountStatus.Active
            ? null
            : await x.Service<IRepoStore>().GetRecordAsync(account.Did, collection.ToString(), rkey.ToString(), x.Aborted);
        if (record is null || (wantCid is not null && record.Cid.ToString() != wantCid))
        {
            throw XrpcException.BadRequest("RecordNotFound", $"Could not locate record: at://{repo}/{collection}/{rkey}");
        }
        await x.WriteJsonAsync(new JsonObject
        {
            ["uri"] = RepoInputs.Uri(account!.Did, collection.ToString(), rkey.ToString()),
            ["cid"] = record.Cid.ToString(),
            ["value"] = JsonNode.Parse(DataModelJson.ToJsonString(DagCbor.Decode(record.Bytes))),
        });
    }
}
