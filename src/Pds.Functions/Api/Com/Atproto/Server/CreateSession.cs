using Pds.Core.Services;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Server;

public sealed class CreateSession : IXrpcMethod
{
    public string Nsid => "com.atproto.server.createSession";
    public XrpcKind Kind => XrpcKind.Procedure;

    public async Task HandleAsync(XrpcContext x)
    {
        var body = await x.ReadJsonAsync();
        var identifier = RepoInputs.RequiredString(body, "identifier");
        var password = RepoInputs.RequiredString(body, "password");
        var session = await x.Service<SessionService>().LoginAsync(identifier, password, x.Aborted);
        await x.WriteJsonAsync(SessionJson.From(session));
    }
}
