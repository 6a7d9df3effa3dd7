using System.Text.Json;
using System.Text.Json.Nodes;
using Pds.Core.DataModel;
using Pds.Core.Ipld;
using Pds.Core.Repo;
using Pds.Core.Storage;
using Pds.Core.Syntax;
using Pds.Core.Xrpc;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api;

/// <summary>Parsing shared by the record methods: repos, collections, rkeys, records, swaps.</summary>
public static class RepoInputs
{
    /// <summary>The account a `repo` parameter (DID or handle) names, if hosted here.</summary>
    public static async Task<AccountRecord?> FindRepoAsync(XrpcContext x, string repo)
    {
        var accounts = x.Service<IAccountStore>();
        if (repo.StartsWith("did:", StringComparison.Ordinal))
        {
            return Did.TryParse(repo, out _) ? await accounts.GetByDidAsync(repo, x.Aborted) : null;
        }
        return Handle.TryParse(repo, out var handle) ? await accounts.GetByHandleAsync(handle.ToString(), x.Aborted) : null;
    }

    /// <summary>For writes: the repo must be the caller's own.</summary>
    public static async Task<string> RequireOwnRepoAsync(XrpcContext x, string repo)
    {
        var auth = x.RequireAuth();
        var account = await FindRepoAsync(x, repo);
        if (account is null && repo == auth.Did)
        {
            // A session that outlived its account.
            RequireActive(null);
        }
        if (account is null || account.Did != auth.Did)
        {
            throw new XrpcException(403, "Forbidden", "Invalid repo: you can only write to your own repository");
        }
        RequireActive(account);
        return account.Did;
    }

    /// <summary>Writes (records, blobs) need an active account; the error names are the ones clients act on.</summary>
    public static void RequireActive(AccountRecord? account)
    {
        switch (account?.Status)
        {
            case null or AccountStatus.Deleted:
                throw new XrpcException(403, "AccountNotFound", "Account not found");
            case AccountStatus.Takendown or AccountStatus.Suspended:
                throw new XrpcException(401, "AccountTakedown", "Account has been taken down");
            case not AccountStatus.Active:
                throw new XrpcException(401, "AccountDeactivated", "Account is deactivated");
        }
    }

    /// <summary>The caller's own repo plus the collection and rkey of one record (putRecord, deleteRecord).</summary>
    public static async Task<(string Did, Nsid Collection, RecordKey Rkey)> OwnRecordAsync(XrpcContext x, JsonElement body)
    {
        var did = await RequireOwnRepoAsync(x, RequiredString(body, "repo"));
        return (did, Collection(RequiredString(body, "collection")), Rkey(RequiredString(body, "rkey")));
    }

    public static Nsid Collection(string? value) =>
        Nsid.TryParse(value, out var nsid, out var error) ? nsid : throw XrpcException.InvalidRequest($"Invalid collection: {error}");

    public static RecordKey Rkey(string? value) =>
        RecordKey.TryParse(value, out var rkey, out var error) ? rkey : throw XrpcException.InvalidRequest($"Invalid record key: {error}");

    /// <summary>A record from JSON: an object; a missing $type is the collection, a different one is an error.</summary>
    public static DataMap Record(JsonElement json, Nsid collection)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw XrpcException.InvalidRequest("record must be an object");
        }
        var record = (DataMap)DataModelJson.FromJson(json);
        switch (record["$type"])
        {
            case null:
                return DataMap.Create(record.Entries.Append(new("$type", DataValue.Of(collection.ToString()))));
            case DataString { Value: var type } when type == collection.ToString():
                return record;
            case var other:
                throw XrpcException.InvalidRequest($"Invalid $type: expected {collection}, got {(other as DataString)?.Value ?? "a non-string"}");
        }
    }

    public static string? OptionalString(JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw XrpcException.InvalidRequest($"{name} must be a string")
            : null;

    public static string RequiredString(JsonElement body, string name) =>
        OptionalString(body, name) ?? throw XrpcException.InvalidRequest($"Input must have the property \"{name}\"");

    public static Cid? OptionalCid(JsonElement body, string name) =>
        OptionalString(body, name) is { } s ? Cid.TryParse(s, out var cid) ? cid : throw XrpcException.InvalidRequest($"{name} is not a valid CID") : null;

    public static JsonObject CommitMeta(CommitResult commit) => new() { ["cid"] = commit.CommitCid.ToString(), ["rev"] = commit.Rev };

    public static string Uri(string did, string collection, string rkey) => $"at://{did}/{collection}/{rkey}";
}
