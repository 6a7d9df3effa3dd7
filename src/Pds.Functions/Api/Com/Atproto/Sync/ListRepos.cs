using System.Text.Json.Nodes;
using Pds.Core.Storage;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Sync;

public sealed class ListRepos : IXrpcMethod
{
    public string Nsid => "com.atproto.sync.listRepos";
    public XrpcKind Kind => XrpcKind.Query;

    public async Task HandleAsync(XrpcContext x)
    {
        var limit = x.QueryInt("limit", 500, 1, 1000);
        var heads = await x.Service<IRepoStore>().ListHeadsAsync(limit, x.Query("cursor"), x.Aborted);
        var accounts = x.Service<IAccountStore>();
        var repos = new JsonArray();
        foreach (var head in heads)
        {
            var account = await accounts.GetByDidAsync(head.Did, x.Aborted);
            if (account is null || account.Status == AccountStatus.Deleted)
            {
                continue;
            }
            var entry = new JsonObject
            {
                ["did"] = head.Did,
                ["head"] = head.CommitCid.ToString(),
                ["rev"] = head.Rev,
                ["active"] = account.Status == AccountStatus.Active,
            };
            if (SyncInputs.StatusName(account.Status) is { } status)
            {
                entry["status"] = status;
            }
            repos.Add(entry);
        }
        var result = new JsonObject { ["repos"] = repos };
        if (heads.Count == limit)
        {
            result["cursor"] = heads[^1].Did;
        }
        await x.WriteJsonAsync(result);
    }
}
