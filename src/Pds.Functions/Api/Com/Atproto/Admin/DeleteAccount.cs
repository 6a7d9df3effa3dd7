using Pds.Core.Services;
using Pds.Core.Storage;
using Pds.Core.Xrpc;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Admin;

public sealed class DeleteAccount : IXrpcMethod
{
    public string Nsid => "com.atproto.admin.deleteAccount";
    public XrpcKind Kind => XrpcKind.Procedure;

    public async Task HandleAsync(XrpcContext x)
    {
        x.RequireAdmin();
        var body = await x.ReadJsonAsync();
        var did = RepoInputs.RequiredString(body, "did");
        if (await x.Service<IAccountStore>().GetByDidAsync(did, x.Aborted) is null)
        {
            throw XrpcException.BadRequest("NotFound", "Account not found");
        }
        await x.Service<AccountService>().DeleteAsync(did, x.Service<IRepoStore>(), x.Service<IBlobStore>(), x.Service<IBlobIndex>(),
            x.Service<IPreferenceStore>(), x.Service<ISessionStore>(), x.Aborted);
        await x.WriteOkAsync();
    }
}
