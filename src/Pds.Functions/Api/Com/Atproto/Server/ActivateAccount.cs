using Pds.Core.Services;
using Pds.Core.Storage;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Server;

/// <summary>
/// Reactivates a deactivated account: #account active, then #sync re-asserting the repo. A
/// taken-down account is left as it is, its deactivation included: the holder cannot lift a
/// takedown, and the reference PDS does not let a taken-down session reach this method at all.
/// </summary>
public sealed class ActivateAccount : IXrpcMethod
{
    public string Nsid => "com.atproto.server.activateAccount";
    public XrpcKind Kind => XrpcKind.Procedure;

    public async Task HandleAsync(XrpcContext x)
    {
        var auth = x.RequireAuth(fullAccess: true);
        var account = await x.Service<IAccountStore>().GetByDidAsync(auth.Did, x.Aborted);
        if (account?.Status == AccountStatus.Deactivated)
        {
            var head = await x.Service<IRepoStore>().GetHeadAsync(auth.Did, x.Aborted);
            await x.Service<AccountService>().SetDeactivatedAsync(account, false, head, x.Aborted);
        }
        await x.WriteOkAsync();
    }
}
