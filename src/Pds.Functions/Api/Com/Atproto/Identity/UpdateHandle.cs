using Pds.Core.Services;
using Pds.Functions.Hosting;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Identity;

public sealed class UpdateHandle : IXrpcMethod
{
    public string Nsid => "com.atproto.identity.updateHandle";
    public XrpcKind Kind => XrpcKind.Procedure;

    public async Task HandleAsync(XrpcContext x)
    {
        var auth = x.RequireAuth(privileged: true);
        var body = await x.ReadJsonAsync();
        await x.Service<AccountService>().UpdateHandleAsync(auth.Did, RepoInputs.RequiredString(body, "handle"), x.Aborted);
        x.Service<DidDocuments>().Evict(auth.Did);
        await x.WriteOkAsync();
    }
}
