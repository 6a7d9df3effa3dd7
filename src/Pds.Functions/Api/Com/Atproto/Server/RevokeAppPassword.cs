using Pds.Core.Storage;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Server;

/// <summary>Revoking removes the password; refresh tokens issued under it stop refreshing at once.</summary>
public sealed class RevokeAppPassword : IXrpcMethod
{
    public string Nsid => "com.atproto.server.revokeAppPassword";
    public XrpcKind Kind => XrpcKind.Procedure;

    public async Task HandleAsync(XrpcContext x)
    {
        var auth = x.RequireAuth(fullAccess: true);
        var body = await x.ReadJsonAsync();
        await x.Service<ISessionStore>().DeleteAppPasswordAsync(auth.Did, RepoInputs.RequiredString(body, "name"), x.Aborted);
        await x.WriteOkAsync();
    }
}
