using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Pds.Core.Auth;
using Pds.Core.Storage;
using Pds.Core.Syntax;
using Pds.Core.Xrpc;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Server;

/// <summary>
/// A short-lived service-auth JWT signed with the account's repo key: <c>iss</c> the account,
/// <c>aud</c> the service, <c>lxm</c> the method it may call, <c>exp</c> at most an hour out.
/// </summary>
public sealed class GetServiceAuth : IXrpcMethod
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(1);

    public string Nsid => "com.atproto.server.getServiceAuth";
    public XrpcKind Kind => XrpcKind.Query;

    public async Task HandleAsync(XrpcContext x)
    {
        var auth = x.RequireAuth();
        var aud = x.RequiredQuery("aud");
        if (!Did.TryParse(aud.Split('#')[0], out _))
        {
            throw XrpcException.InvalidRequest("aud must be a DID");
        }
        var lxm = x.Query("lxm");
        if (lxm is not null && !Pds.Core.Syntax.Nsid.TryParse(lxm, out _))
        {
            throw XrpcException.InvalidRequest("lxm must be an NSID");
        }
        if (lxm is null && !auth.IsPrivileged)
        {
            throw XrpcException.BadRequest("BadExpiration", "a method-unbound token requires full access");
        }
        var now = x.Service<TimeProvider>().GetUtcNow();
        var exp = x.Query("exp") is { } e
            ? long.TryParse(e, out var v) ? DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(v, 0, int.MaxValue)) : throw XrpcException.InvalidRequest("exp must be an integer")
            : now + DefaultLifetime;
        if (exp <= now || exp - now > MaxLifetime)
        {
            throw XrpcException.BadRequest("BadExpiration", "expiration must be in the future and at most an hour out");
        }
        var signer = await x.Service<IKeyStore>().GetAsync(auth.Did, x.Aborted) ?? throw new InvalidOperationException("no signing key");
        var payload = new JsonObject
        {
            ["iat"] = now.ToUnixTimeSeconds(),
            ["iss"] = auth.Did,
            ["aud"] = aud,
            ["exp"] = exp.ToUnixTimeSeconds(),
            ["jti"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        };
        if (lxm is not null)
        {
            payload["lxm"] = lxm;
        }
        var token = await Jwt.SignAsync(signer, "JWT", payload, x.Aborted);
        await x.WriteJsonAsync(new JsonObject { ["token"] = token });
    }
}
