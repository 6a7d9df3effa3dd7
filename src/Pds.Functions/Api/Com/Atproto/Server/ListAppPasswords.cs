using System.Text.Json.Nodes;
using Pds.Core.Storage;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Server;

public sealed class ListAppPasswords : IXrpcMethod
{
    public string Nsid => "com.atproto.server.listAppPasswords";
    public XrpcKind Kind => XrpcKind.Query;

    public async Task HandleAsync(XrpcContext x)
    {
        var auth = x.RequireAuth(fullAccess: true);
        var list = await x.Service<ISessionStore>().ListAppPasswordsAsync(auth.Did, x.Aborted);
        var passwords = new JsonArray([.. list.Select(a => (JsonNode)new JsonObject
        {
            ["name"] = a.Name,
            ["createdAt"] = Pds.Core.Syntax.AtDatetime.Format(a.CreatedAt),
            ["privileged"] = a.Privileged,
        })]);
        await x.WriteJsonAsync(new JsonObject { ["passwords"] = passwords });
    }
}
