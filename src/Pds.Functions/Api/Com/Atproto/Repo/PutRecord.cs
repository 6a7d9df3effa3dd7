using System.Text.Json;
using System.Text.Json.Nodes;
using Pds.Core.Ipld;
using Pds.Core.Repo;
using Pds.Core.Services;
using Pds.Core.Storage;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Repo;

/// <summary>Creates or replaces a record; <c>swapRecord: null</c> means "only if it does not exist".</summary>
public sealed class PutRecord : IXrpcMethod
{
    public string Nsid => "com.atproto.repo.putRecord";
    public XrpcKind Kind => XrpcKind.Procedure;

    public async Task HandleAsync(XrpcContext x)
    {
        var body = await x.ReadJsonAsync();
        var (did, collection, rkey) = await RepoInputs.OwnRecordAsync(x, body);
        if (!body.TryGetProperty("record", out var json))
        {
            throw Pds.Core.Xrpc.XrpcException.InvalidRequest("Input must have the property \"record\"");
        }
        var record = RepoInputs.Record(json, collection);
        var existing = await x.Service<IRepoStore>().GetRecordAsync(did, collection.ToString(), rkey.ToString(), x.Aborted);
        var write = existing is null ? RepoWrite.Create(collection, rkey, record) : RepoWrite.Update(collection, rkey, record);
        Dictionary<string, Cid?>? swaps = null;
        if (body.TryGetProperty("swapRecord", out var swap))
        {
            swaps = new() { [write.Path] = swap.ValueKind == JsonValueKind.Null ? RepoService.MustNotExist : RepoInputs.OptionalCid(body, "swapRecord") };
        }
        var commit = await x.Service<RepoService>().ApplyAsync(did, new WriteRequest([write], RepoInputs.OptionalCid(body, "swapCommit"), swaps), x.Aborted);
        await x.WriteJsonAsync(new JsonObject
        {
            ["uri"] = RepoInputs.Uri(did, collection.ToString(), rkey.ToString()),
            ["cid"] = commit.Ops[0].Cid!.ToString(),
            ["commit"] = RepoInputs.CommitMeta(commit),
            ["validationStatus"] = "unknown",
        });
    }
}
