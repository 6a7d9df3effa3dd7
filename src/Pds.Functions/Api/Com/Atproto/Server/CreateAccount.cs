using Pds.Core.Services;
using Pds.Functions.Hosting;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Server;

public sealed class CreateAccount : IXrpcMethod
{
    public string Nsid => "com.atproto.server.createAccount";
    public XrpcKind Kind => XrpcKind.Procedure;

    public async Task HandleAsync(XrpcContext x)
    {
        var body = await x.ReadJsonAsync();
        var input = new CreateAccountInput(
            RepoInputs.RequiredString(body, "handle"),
            RepoInputs.OptionalString(body, "email"),
            RepoInputs.OptionalString(body, "password"),
            RepoInputs.OptionalString(body, "inviteCode"),
            RepoInputs.OptionalString(body, "did"),
            RepoInputs.OptionalString(body, "recoveryKey"));
        var session = await x.Service<AccountService>().CreateAsync(input, x.Aborted);
        var didDoc = await x.Service<DidDocuments>().GetJsonAsync(session.Account.Did, x.Aborted);
        await x.WriteJsonAsync(SessionJson.From(session, didDoc));
    }
}
