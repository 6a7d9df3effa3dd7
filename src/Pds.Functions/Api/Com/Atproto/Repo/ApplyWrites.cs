using System.Text.Json;
using System.Text.Json.Nodes;
using Pds.Core.Repo;
using Pds.Core.Services;
using Pds.Core.Syntax;
using Pds.Core.Xrpc;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Repo;

/// <summary>Up to 200 creates, updates and deletes in one commit: all apply or none do.</summary>
public sealed class ApplyWrites : IXrpcMethod
{
    private const string Prefix = "com.atproto.repo.applyWrites#";

    public string Nsid => "com.atproto.repo.applyWrites";
    public XrpcKind Kind => XrpcKind.Procedure;

    public async Task HandleAsync(XrpcContext x)
    {
        var body = await x.ReadJsonAsync();
        var did = await RepoInputs.RequireOwnRepoAsync(x, RepoInputs.RequiredString(body, "repo"));
        if (!body.TryGetProperty("writes", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw XrpcException.InvalidRequest("Input must have the property \"writes\"");
        }
        if (list.GetArrayLength() > RepoWriter.MaxWrites)
        {
            throw XrpcException.InvalidRequest($"Too many writes. Max: {RepoWriter.MaxWrites}");
        }
        var tids = x.Service<TidGenerator>();
        var writes = list.EnumerateArray().Select(w => Parse(w, tids)).ToList();
        var commit = await x.Service<RepoService>().ApplyAsync(did, new WriteRequest(writes, RepoInputs.OptionalCid(body, "swapCommit")), x.Aborted);
        var results = new JsonArray();
        for (var i = 0; i < writes.Count; i++)
        {
            var w = writes[i];
            results.Add(w.Action == WriteAction.Delete
                ? new JsonObject { ["$type"] = Prefix + "deleteResult" }
                : new JsonObject
                {
                    ["$type"] = Prefix + (w.Action == WriteAction.Create ? "createResult" : "updateResult"),
                    ["uri"] = RepoInputs.Uri(did, w.Collection.ToString(), w.Rkey.ToString()),
                    ["cid"] = commit.Ops[i].Cid!.ToString(),
                    ["validationStatus"] = "unknown",
                });
        }
        await x.WriteJsonAsync(new JsonObject { ["commit"] = RepoInputs.CommitMeta(commit), ["results"] = results });
    }

    private static RepoWrite Parse(JsonElement w, TidGenerator tids)
    {
        if (w.ValueKind != JsonValueKind.Object)
        {
            throw XrpcException.InvalidRequest("each write must be an object");
        }
        var type = RepoInputs.RequiredString(w, "$type");
        var collection = RepoInputs.Collection(RepoInputs.RequiredString(w, "collection"));
        switch (type)
        {
            case Prefix + "create":
                var rkey = RepoInputs.OptionalString(w, "rkey") is { } r ? RepoInputs.Rkey(r) : RecordKey.FromTid(tids.Next());
                return RepoWrite.Create(collection, rkey, RepoInputs.Record(Value(w), collection));
            case Prefix + "update":
                return RepoWrite.Update(collection, RepoInputs.Rkey(RepoInputs.RequiredString(w, "rkey")), RepoInputs.Record(Value(w), collection));
            case Prefix + "delete":
                return RepoWrite.Delete(collection, RepoInputs.Rkey(RepoInputs.RequiredString(w, "rkey")));
            default:
                throw XrpcException.InvalidRequest($"unknown write type {type}");
        }
    }

    private static JsonElement Value(JsonElement w) =>
        w.TryGetProperty("value", out var v) ? v : throw XrpcException.InvalidRequest("Input must have the property \"value\"");
}
