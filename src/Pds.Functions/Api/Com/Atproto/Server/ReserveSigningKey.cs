using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
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
        // The input is optional; a chunked body has no Content-Length but is still a body.
        var hasBody = x.Http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? x.Http.Request.ContentLength > 0;
        var body = hasBody ? await x.ReadJsonAsync() : default;
        var did = body.ValueKind == System.Text.Json.JsonValueKind.Object ? RepoInputs.OptionalString(body, "did") : null;
        var key = await x.Service<IKeyStore>().ReserveAsync(did ?? "reserved:" + Guid.NewGuid().ToString("N"), x.Aborted);
        await x.WriteJsonAsync(new JsonObject { ["signingKey"] = key.ToDidKey() });
    }
}
