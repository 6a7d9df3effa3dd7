using System.Text.Json.Nodes;
using Pds.Core.Identity;
using Pds.Core.Storage;
using Pds.Core.Syntax;
using Pds.Core.Xrpc;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Identity;

/// <summary>Hosted handles answer from the account table; others through DNS and HTTPS resolution.</summary>
public sealed class ResolveHandle : IXrpcMethod
{
    public string Nsid => "com.atproto.identity.resolveHandle";
    public XrpcKind Kind => XrpcKind.Query;

    public async Task HandleAsync(XrpcContext x)
    {
        if (!Handle.TryParse(x.RequiredQuery("handle"), out var handle, out var error))
        {
            throw XrpcException.InvalidRequest($"Invalid handle: {error}");
        }
        var account = await x.Service<IAccountStore>().GetByHandleAsync(handle.ToString(), x.Aborted);
        var did = account is { Status: not AccountStatus.Deleted }
            ? account.Did
            : (await x.Service<IHandleResolver>().ResolveAsync(handle, x.Aborted))?.ToString();
        if (did is null)
        {
            throw XrpcException.BadRequest("HandleNotFound", "Unable to resolve handle");
        }
        await x.WriteJsonAsync(new JsonObject { ["did"] = did });
    }
}
