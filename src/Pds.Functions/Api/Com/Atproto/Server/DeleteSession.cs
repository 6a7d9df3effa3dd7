using Pds.Core.Services;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Server;

public sealed class DeleteSession : IXrpcMethod
{
    public string Nsid => "com.atproto.server.deleteSession";
    public XrpcKind Kind => XrpcKind.Procedure;

    public async Task HandleAsync(XrpcContext x)
    {
        await x.Service<SessionService>().LogoutAsync(RefreshSession.BearerToken(x), x.Aborted);
        await x.WriteOkAsync();
    }
}
