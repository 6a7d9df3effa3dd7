using Pds.Core.Services;
using Pds.Core.Xrpc;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Server;

/// <summary>Trades a refresh token (in the Authorization header) for a new pair; the old one stops working.</summary>
public sealed class RefreshSession : IXrpcMethod
{
    public string Nsid => "com.atproto.server.refreshSession";
    public XrpcKind Kind => XrpcKind.Procedure;

    public async Task HandleAsync(XrpcContext x)
    {
        var session = await x.Service<SessionService>().RefreshAsync(BearerToken(x), x.Aborted);
        await x.WriteJsonAsync(SessionJson.From(session));
    }

    internal static string BearerToken(XrpcContext x)
    {
        var header = x.Http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : throw XrpcException.AuthRequired();
    }
}
