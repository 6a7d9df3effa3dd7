using Pds.Core.Services;
using Pds.Core.Storage;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Server;

/// <summary>
/// The holder deactivates the account: #account deactivated. A taken-down account may deactivate
/// too, as in the reference PDS: it stays taken down, and the deactivation is what remains when
/// the takedown is lifted.
/// </summary>
public sealed class DeactivateAccount : IXrpcMethod
{
    public string Nsid => "com.atproto.server.deactivateAccount";
    public XrpcKind Kind => XrpcKind.Procedure;

    public async Task HandleAsync(XrpcContext x)
    {
        var auth = x.RequireAuth(fullAccess: true);
        var account = await x.Service<IAccountStore>().GetByDidAsync(auth.Did, x.Aborted);
        if (account is not null && account.Status != AccountStatus.Deleted)
        {
            await x.Service<AccountService>().SetDeactivatedAsync(account, true, null, x.Aborted);
        }
        await x.WriteOkAsync();
    }
}
