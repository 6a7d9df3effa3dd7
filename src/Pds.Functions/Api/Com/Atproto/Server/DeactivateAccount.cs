using Pds.Core.Services;
using Pds.Core.Storage;
using Pds.Core.Xrpc;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Server;

public sealed class DeactivateAccount : IXrpcMethod
{
    public string Nsid => "com.atproto.server.deactivateAccount";
    public XrpcKind Kind => XrpcKind.Procedure;

    public async Task HandleAsync(XrpcContext x)
    {
        var auth = x.RequireAuth(fullAccess: true);
        var account = await x.Service<IAccountStore>().GetByDidAsync(auth.Did, x.Aborted);
        if (account?.Status is AccountStatus.Takendown or AccountStatus.Suspended)
        {
            throw XrpcException.BadRequest("AccountTakedown", "Account has been taken down");
        }
        if (account?.Status == AccountStatus.Active)
        {
            await x.Service<AccountService>().SetStatusAsync(auth.Did, AccountStatus.Deactivated, null, x.Aborted);
        }
        await x.WriteOkAsync();
    }
}
