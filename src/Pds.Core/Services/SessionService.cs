using Pds.Core.Auth;
using Pds.Core.Storage;
using Pds.Core.Syntax;
using Pds.Core.Xrpc;

namespace Pds.Core.Services;

/// <summary>The tokens handed to a client, and the account they belong to.</summary>
public sealed record Session(string AccessJwt, string RefreshJwt, AccountRecord Account, string Scope);

/// <summary>
/// Logins (account or app password), single-use refresh-token rotation, logout. Refresh
/// tokens are JWTs whose id is stored; rotation marks the old id used atomically, so a
/// replayed refresh token fails even when two refreshes race.
/// </summary>
public sealed class SessionService(IAccountStore accounts, ISessionStore sessions, TokenService tokens, TimeProvider clock)
{
    public async Task<Session> LoginAsync(string identifier, string password, CancellationToken ct = default)
    {
        var account = await FindAsync(identifier.Trim(), ct).ConfigureAwait(false);
        if (account is null || account.Status == AccountStatus.Deleted)
        {
            throw new XrpcException(401, "AuthenticationRequired", "Invalid identifier or password");
        }
        string scope;
        string? appPassword = null;
        if (PasswordHasher.Verify(password, account.PasswordHash))
        {
            scope = AuthScopes.Access;
        }
        else
        {
            var match = (await sessions.ListAppPasswordsAsync(account.Did, ct).ConfigureAwait(false))
                .FirstOrDefault(a => PasswordHasher.Verify(password, a.PasswordHash));
            if (match is null)
            {
                throw new XrpcException(401, "AuthenticationRequired", "Invalid identifier or password");
            }
            scope = match.Privileged ? AuthScopes.AppPassPrivileged : AuthScopes.AppPass;
            appPassword = match.Name;
        }
        if (account.Status is AccountStatus.Takendown or AccountStatus.Suspended)
        {
            throw new XrpcException(401, "AccountTakedown", "Account has been taken down");
        }
        return await IssueAsync(account, scope, appPassword, ct).ConfigureAwait(false);
    }

    public async Task<Session> IssueAsync(AccountRecord account, string scope, string? appPassword, CancellationToken ct = default)
    {
        var (refresh, id, expires) = tokens.CreateRefreshToken(account.Did);
        await sessions.CreateRefreshTokenAsync(new RefreshTokenRecord(id, account.Did, appPassword, expires), ct).ConfigureAwait(false);
        return new Session(tokens.CreateAccessToken(account.Did, scope), refresh, account, scope);
    }

    public async Task<Session> RefreshAsync(string refreshJwt, CancellationToken ct = default)
    {
        var (did, id) = tokens.ValidateRefresh(refreshJwt);
        var record = await sessions.GetRefreshTokenAsync(id, ct).ConfigureAwait(false);
        if (record is null || record.Did != did || record.ExpiresAt <= clock.GetUtcNow())
        {
            throw XrpcException.ExpiredToken("Token has been revoked");
        }
        var account = await accounts.GetByDidAsync(did, ct).ConfigureAwait(false);
        if (account is null || account.Status == AccountStatus.Deleted)
        {
            throw XrpcException.InvalidToken("Account not found");
        }
        if (account.Status is AccountStatus.Takendown or AccountStatus.Suspended)
        {
            throw new XrpcException(401, "AccountTakedown", "Account has been taken down");
        }
        var scope = record.AppPasswordName is null ? AuthScopes.Access : await AppPasswordScopeAsync(record, ct).ConfigureAwait(false);
        var (refresh, nextId, expires) = tokens.CreateRefreshToken(did);
        if (!await sessions.RotateRefreshTokenAsync(id, nextId, ct).ConfigureAwait(false))
        {
            throw XrpcException.ExpiredToken("Token has been revoked");
        }
        await sessions.CreateRefreshTokenAsync(new RefreshTokenRecord(nextId, did, record.AppPasswordName, expires), ct).ConfigureAwait(false);
        return new Session(tokens.CreateAccessToken(did, scope), refresh, account, scope);
    }

    public async Task LogoutAsync(string refreshJwt, CancellationToken ct = default)
    {
        var (_, id) = tokens.ValidateRefresh(refreshJwt);
        await sessions.DeleteRefreshTokenAsync(id, ct).ConfigureAwait(false);
    }

    public async Task<AccountRecord?> FindAsync(string identifier, CancellationToken ct = default)
    {
        if (identifier.StartsWith("did:", StringComparison.Ordinal))
        {
            return await accounts.GetByDidAsync(identifier, ct).ConfigureAwait(false);
        }
        if (identifier.Contains('@', StringComparison.Ordinal))
        {
            return await accounts.GetByEmailAsync(identifier.ToLowerInvariant(), ct).ConfigureAwait(false);
        }
        return Handle.TryParse(identifier, out var handle)
            ? await accounts.GetByHandleAsync(handle.ToString(), ct).ConfigureAwait(false)
            : null;
    }

    private async Task<string> AppPasswordScopeAsync(RefreshTokenRecord record, CancellationToken ct)
    {
        var app = (await sessions.ListAppPasswordsAsync(record.Did, ct).ConfigureAwait(false)).FirstOrDefault(a => a.Name == record.AppPasswordName)
            ?? throw XrpcException.ExpiredToken("App password has been revoked");
        return app.Privileged ? AuthScopes.AppPassPrivileged : AuthScopes.AppPass;
    }
}
