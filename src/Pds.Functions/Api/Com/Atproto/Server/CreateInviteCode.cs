using System.Text.Json.Nodes;
using Pds.Core.Storage;
using Pds.Core.Xrpc;
using Pds.Functions.Hosting;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Server;

/// <summary>Admin: one invite code with a number of uses, optionally for an account.</summary>
public sealed class CreateInviteCode : IXrpcMethod
{
    public string Nsid => "com.atproto.server.createInviteCode";
    public XrpcKind Kind => XrpcKind.Procedure;

    public async Task HandleAsync(XrpcContext x)
    {
        x.RequireAdmin();
        var body = await x.ReadJsonAsync();
        var uses = body.TryGetProperty("useCount", out var u) && u.TryGetInt32(out var n) && n is > 0 and <= 100_000
            ? n
            : throw XrpcException.InvalidRequest("useCount must be a positive integer");
        var code = InviteCodes.NewCode(x.Service<PdsConfig>().Hostname);
        var forAccount = RepoInputs.OptionalString(body, "forAccount") ?? "admin";
        await x.Service<IInviteStore>().CreateAsync(
            new InviteCodeRecord(code, uses, forAccount, "admin", x.Service<TimeProvider>().GetUtcNow(), false, []), x.Aborted);
        await x.WriteJsonAsync(new JsonObject { ["code"] = code });
    }
}
