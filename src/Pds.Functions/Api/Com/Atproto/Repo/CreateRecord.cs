using System.Text.Json.Nodes;
using Pds.Core.Repo;
using Pds.Core.Services;
using Pds.Core.Syntax;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Repo;

public sealed class CreateRecord : IXrpcMethod
{
    public string Nsid => "com.atproto.repo.createRecord";
    public XrpcKind Kind => XrpcKind.Procedure;

    public async Task HandleAsync(XrpcContext x)
    {
        var body = await x.ReadJsonAsync();
        var did = await RepoInputs.RequireOwnRepoAsync(x, RepoInputs.RequiredString(body, "repo"));
        var collection = RepoInputs.Collection(RepoInputs.RequiredString(body, "collection"));
        var rkey = RepoInputs.OptionalString(body, "rkey") is { } given ? RepoInputs.Rkey(given) : RecordKey.FromTid(x.Service<TidGenerator>().Next());
        if (!body.TryGetProperty("record", out var json))
        {
            throw Pds.Core.Xrpc.XrpcException.InvalidRequest("Input must have the property \"record\"");
        }
        var write = RepoWrite.Create(collection, rkey, RepoInputs.Record(json, collection));
        var commit = await x.Service<RepoService>().ApplyAsync(did, new WriteRequest([write], RepoInputs.OptionalCid(body, "swapCommit")), x.Aborted);
        await x.WriteJsonAsync(new JsonObject
        {
            ["uri"] = RepoInputs.Uri(did, collection.ToString(), rkey.ToString()),
            ["cid"] = commit.Ops[0].Cid!.ToString(),
            ["commit"] = RepoInputs.CommitMeta(commit),
            ["validationStatus"] = "unknown",
        });
    }
}
