using System.Text.Json;
using System.Text.Json.Nodes;
using Pds.Core.Storage;
using Pds.Core.Xrpc;
using Pds.Functions.Hosting;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Server;

/// <summary>Admin: several codes at once, per account.</summary>
public sealed class CreateInviteCodes : IXrpcMethod
{
    public string Nsid => "com.atproto.server.createInviteCodes";
    public XrpcKind Kind => XrpcKind.Procedure;

    public async Task HandleAsync(XrpcContext x)
    {
        x.RequireAdmin();
        var body = await x.ReadJsonAsync();
        var codeCount = body.TryGetProperty("codeCount", out var c) && c.TryGetInt32(out var cc) && cc is > 0 and <= 1000 ? cc
            : throw XrpcException.InvalidRequest("codeCount must be between 1 and 1000");
        var uses = body.TryGetProperty("useCount", out var u) && u.TryGetInt32(out var n) && n is > 0 and <= 100_000 ? n
            : throw XrpcException.InvalidRequest("useCount must be a positive integer");
        var forAccounts = body.TryGetProperty("forAccounts", out var fa) && fa.ValueKind == JsonValueKind.Array
            ? fa.EnumerateArray().Select(a => a.GetString() ?? throw XrpcException.InvalidRequest("forAccounts must be strings")).ToList()
            : ["admin"];
        var store = x.Service<IInviteStore>();
        var hostname = x.Service<PdsConfig>().Hostname;
        var now = x.Service<TimeProvider>().GetUtcNow();
        var result = new JsonArray();
        foreach (var account in forAccounts)
        {
            var codes = new JsonArray();
            for (var i = 0; i < codeCount; i++)
            {
                var code = InviteCodes.NewCode(hostname);
                await store.CreateAsync(new InviteCodeRecord(code, uses, account, "admin", now, false, []), x.Aborted);
                codes.Add(code);
            }
            result.Add(new JsonObject { ["account"] = account, ["codes"] = codes });
        }
        await x.WriteJsonAsync(new JsonObject { ["codes"] = result });
    }
}
