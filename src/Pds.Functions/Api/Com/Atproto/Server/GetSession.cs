using System.Text.Json.Nodes;
using Pds.Core.Storage;
using Pds.Core.Xrpc;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Server;

public sealed class GetSession : IXrpcMethod
{
    public string Nsid => "com.atproto.server.getSession";
    public XrpcKind Kind => XrpcKind.Query;

    public async Task HandleAsync(XrpcContext x)
    {
        var auth = x.RequireAuth();
        var account = await x.Service<IAccountStore>().GetByDidAsync(auth.Did, x.Aborted);
        if (account is null || account.Status == AccountStatus.Deleted)
        {
            throw XrpcException.InvalidToken("Account not found");
        }
        var json = new JsonObject { ["handle"] = account.Handle, ["did"] = account.Did };
        SessionJson.AddAccountFields(json, account);
        await x.WriteJsonAsync(json);
    }
}
