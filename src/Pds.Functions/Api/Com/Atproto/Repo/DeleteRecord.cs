using System.Text.Json.Nodes;
using Pds.Core.Ipld;
using Pds.Core.Repo;
using Pds.Core.Services;
using Pds.Core.Storage;
using Pds.Core.Xrpc;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Repo;

/// <summary>Deleting a record that does not exist succeeds without a commit (idempotent, as the reference does).</summary>
public sealed class DeleteRecord : IXrpcMethod
{
    public string Nsid => "com.atproto.repo.deleteRecord";
    public XrpcKind Kind => XrpcKind.Procedure;

    public async Task HandleAsync(XrpcContext x)
    {
        var body = await x.ReadJsonAsync();
        var (did, collection, rkey) = await RepoInputs.OwnRecordAsync(x, body);
        var swapRecord = RepoInputs.OptionalCid(body, "swapRecord");
        var existing = await x.Service<IRepoStore>().GetRecordAsync(did, collection.ToString(), rkey.ToString(), x.Aborted);
        if (existing is null)
        {
            if (swapRecord is not null)
            {
                throw new XrpcException(400, "InvalidSwap", "Record was at null");
            }
            await x.WriteJsonAsync(new JsonObject());
            return;
        }
        var write = RepoWrite.Delete(collection, rkey);
        var swaps = swapRecord is null ? null : new Dictionary<string, Cid?> { [write.Path] = swapRecord };
        var commit = await x.Service<RepoService>().ApplyAsync(did, new WriteRequest([write], RepoInputs.OptionalCid(body, "swapCommit"), swaps), x.Aborted);
        await x.WriteJsonAsync(new JsonObject { ["commit"] = RepoInputs.CommitMeta(commit) });
    }
}
