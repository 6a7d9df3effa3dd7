using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Pds.Core.Xrpc;

namespace Pds.Core.Auth;

/// <summary>Scopes the PDS puts in its own tokens.</summary>
public static class AuthScopes
{
    public const string Access = "com.atproto.access";
    public const string AppPass = "com.atproto.appPass";
    public const string AppPassPrivileged = "com.atproto.appPassPrivileged";
    public const string Refresh = "com.atproto.refresh";
}

/// <summary>Who a request acts for, from a validated access token.</summary>
public sealed record AuthContext(string Did, string Scope)
{
    public bool IsFullAccess => Scope == AuthScopes.Access;
    public bool IsPrivileged => Scope is AuthScopes.Access or AuthScopes.AppPassPrivileged;
}

/// <summary>Issues and checks the session JWTs (HS256 under the PDS's JWT secret).</summary>
public sealed class TokenService(byte[] secret, string serviceDid, TimeProvider clock)
{
    public static readonly TimeSpan AccessLifetime = TimeSpan.FromHours(2);
    public static readonly TimeSpan RefreshLifetime = TimeSpan.FromDays(90);

    public string ServiceDid => serviceDid;

    public string CreateAccessToken(string did, string scope)
    {
        var now = clock.GetUtcNow();
        return Jwt.SignHs256("at+jwt", new JsonObject
        {
            ["scope"] = scope,
            ["sub"] = did,
            ["aud"] = serviceDid,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + AccessLifetime).ToUnixTimeSeconds(),
        }, secret);
    }

    public (string Token, string Id, DateTimeOffset ExpiresAt) CreateRefreshToken(string did)
    {
        var now = clock.GetUtcNow();
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var exp = now + RefreshLifetime;
        var token = Jwt.SignHs256("refresh+jwt", new JsonObject
        {
            ["scope"] = AuthScopes.Refresh,
            ["sub"] = did,
            ["aud"] = serviceDid,
            ["jti"] = id,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = exp.ToUnixTimeSeconds(),
        }, secret);
        return (token, id, exp);
    }

    public AuthContext ValidateAccess(string token)
    {
        var parts = Validate(token, "at+jwt");
        var scope = parts.Claim("scope");
        if (scope is not (AuthScopes.Access or AuthScopes.AppPass or AuthScopes.AppPassPrivileged))
        {
            throw XrpcException.InvalidToken("Bad token scope");
        }
        return new AuthContext(parts.Subject!, scope);
    }

    /// <summary>Returns (did, token id) of a valid refresh token.</summary>
    public (string Did, string Id) ValidateRefresh(string token)
    {
        var parts = Validate(token, "refresh+jwt");
        if (parts.Claim("scope") != AuthScopes.Refresh || parts.Claim("jti") is not { } id)
        {
            throw XrpcException.InvalidToken("Bad token scope");
        }
        return (parts.Subject!, id);
    }

    private JwtParts Validate(string token, string typ)
    {
        if (!Jwt.TryValidateHs256(token, secret, out var parts, out var error))
        {
            throw XrpcException.InvalidToken(error);
        }
        if (parts.Typ != typ)
        {
            throw XrpcException.InvalidToken("Invalid token type");
        }
        if (parts.Subject is null || parts.Claim("aud") != serviceDid)
        {
            throw XrpcException.InvalidToken("Bad token subject or audience");
        }
        if (parts.ExpiresAt is not { } exp || exp <= clock.GetUtcNow().ToUnixTimeSeconds())
        {
            throw XrpcException.ExpiredToken();
        }
        return parts;
    }
}
