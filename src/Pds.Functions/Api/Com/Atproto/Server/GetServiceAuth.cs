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

    /// <summary>A token good for any method of the audience lives at most a minute.</summary>
    public static readonly TimeSpan MaxMethodlessLifetime = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Account management that must be called on this PDS directly, never with a service token:
    /// a token for one of these would let its holder act as the account elsewhere.
    /// </summary>
    public static readonly IReadOnlySet<string> ProtectedMethods = new HashSet<string>(StringComparer.Ordinal)
    {
        "com.atproto.admin.sendEmail",
        "com.atproto.identity.requestPlcOperationSignature",
        "com.atproto.identity.signPlcOperation",
        "com.atproto.identity.updateHandle",
        "com.atproto.server.activateAccount",
        "com.atproto.server.confirmEmail",
        "com.atproto.server.createAppPassword",
        "com.atproto.server.deactivateAccount",
        "com.atproto.server.getAccountInviteCodes",
        "com.atproto.server.getSession",
        "com.atproto.server.listAppPasswords",
        "com.atproto.server.requestAccountDelete",
        "com.atproto.server.requestEmailConfirmation",
        "com.atproto.server.requestEmailUpdate",
        "com.atproto.server.revokeAppPassword",
        "com.atproto.server.updateEmail",
    };

    /// <summary>Methods a plain app password may not get a token for: chat, and createAccount (migration).</summary>
    public static bool IsPrivilegedMethod(string lxm) =>
        lxm.StartsWith("chat.bsky.", StringComparison.Ordinal) || lxm == "com.atproto.server.createAccount";

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
        if (lxm is not null && ProtectedMethods.Contains(lxm))
        {
            throw XrpcException.InvalidRequest($"cannot request a service auth token for the protected method {lxm}");
        }
        if (lxm is not null && !auth.IsPrivileged && IsPrivilegedMethod(lxm))
        {
            throw XrpcException.InvalidRequest($"an app password cannot request a service auth token for {lxm}");
        }
        var now = x.Service<TimeProvider>().GetUtcNow();
        var exp = x.Query("exp") is { } e
            ? long.TryParse(e, out var v) ? DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(v, 0, int.MaxValue)) : throw XrpcException.InvalidRequest("exp must be an integer")
            : now + DefaultLifetime;
        if (exp <= now || exp - now > MaxLifetime)
        {
            throw XrpcException.BadRequest("BadExpiration", "expiration must be in the future and at most an hour out");
        }
        if (lxm is null && exp - now > MaxMethodlessLifetime)
        {
            throw XrpcException.BadRequest("BadExpiration", "a token without lxm expires at most a minute out");
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
