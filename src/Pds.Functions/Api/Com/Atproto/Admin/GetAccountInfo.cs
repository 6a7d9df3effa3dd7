using Pds.Core.Storage;
using Pds.Core.Xrpc;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Admin;

public sealed class GetAccountInfo : IXrpcMethod
{
    public string Nsid => "com.atproto.admin.getAccountInfo";
    public XrpcKind Kind => XrpcKind.Query;

    public async Task HandleAsync(XrpcContext x)
    {
        x.RequireAdmin();
        var account = await x.Service<IAccountStore>().GetByDidAsync(x.RequiredQuery("did"), x.Aborted)
            ?? throw XrpcException.BadRequest("NotFound", "Account not found");
        await x.WriteJsonAsync(AccountViews.ToJson(account));
    }
}
