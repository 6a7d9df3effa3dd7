using System.Text.Json.Nodes;
using Pds.Core.Storage;
using Pds.Core.Xrpc;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Admin;

public sealed class GetAccountInfos : IXrpcMethod
{
    public string Nsid => "com.atproto.admin.getAccountInfos";
    public XrpcKind Kind => XrpcKind.Query;

    public async Task HandleAsync(XrpcContext x)
    {
        x.RequireAdmin();
        var dids = x.QueryAll("dids");
        if (dids.Count is 0 or > 100)
        {
            throw XrpcException.InvalidRequest("dids must list 1 to 100 DIDs");
        }
        var store = x.Service<IAccountStore>();
        var infos = new JsonArray();
        foreach (var did in dids.Distinct(StringComparer.Ordinal))
        {
            if (await store.GetByDidAsync(did, x.Aborted) is { } account)
            {
                infos.Add(AccountViews.ToJson(account));
            }
        }
        await x.WriteJsonAsync(new JsonObject { ["infos"] = infos });
    }
}
