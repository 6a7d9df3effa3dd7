using System.Text.Json.Nodes;
using Pds.Core.Storage;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Server;

/// <summary>The caller's own invite codes (this PDS does not mint codes for users by itself).</summary>
public sealed class GetAccountInviteCodes : IXrpcMethod
{
    public string Nsid => "com.atproto.server.getAccountInviteCodes";
    public XrpcKind Kind => XrpcKind.Query;

    public async Task HandleAsync(XrpcContext x)
    {
        var auth = x.RequireAuth(fullAccess: true);
        var includeUsed = x.Query("includeUsed") != "false";
        var codes = await x.Service<IInviteStore>().ListForAccountAsync(auth.Did, x.Aborted);
        var list = codes.Where(c => includeUsed || c.Uses.Count < c.AvailableUses).Select(c => (JsonNode)InviteCodes.ToJson(c));
        await x.WriteJsonAsync(new JsonObject { ["codes"] = new JsonArray([.. list]) });
    }
}
