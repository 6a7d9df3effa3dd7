using System.Text.Json.Nodes;
using Pds.Core.Storage;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Server;

/// <summary>Reserves a repo signing key ahead of an account migration; the DID may not exist yet.</summary>
public sealed class ReserveSigningKey : IXrpcMethod
{
    public string Nsid => "com.atproto.server.reserveSigningKey";
    public XrpcKind Kind => XrpcKind.Procedure;

    public async Task HandleAsync(XrpcContext x)
    {
        var body = x.Http.Request.ContentLength > 0 ? await x.ReadJsonAsync() : default;
        var did = body.ValueKind == System.Text.Json.JsonValueKind.Object ? RepoInputs.OptionalString(body, "did") : null;
        var key = await x.Service<IKeyStore>().ReserveAsync(did ?? "reserved:" + Guid.NewGuid().ToString("N"), x.Aborted);
        await x.WriteJsonAsync(new JsonObject { ["signingKey"] = key.ToDidKey() });
    }
}
