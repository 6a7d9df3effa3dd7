using Pds.Core.Auth;
using Pds.Core.Services;
using Pds.Core.Storage;
using Pds.Core.Xrpc;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Admin;

/// <summary>Sets a new password and ends every session of the account.</summary>
public sealed class UpdateAccountPassword : IXrpcMethod
{
    public string Nsid => "com.atproto.admin.updateAccountPassword";
    public XrpcKind Kind => XrpcKind.Procedure;

    public async Task HandleAsync(XrpcContext x)
    {
        x.RequireAdmin();
        var body = await x.ReadJsonAsync();
        var did = RepoInputs.RequiredString(body, "did");
        var password = RepoInputs.RequiredString(body, "password");
        if (password.Length > AccountService.MaxPasswordLength)
        {
            throw XrpcException.InvalidRequest($"Password is at most {AccountService.MaxPasswordLength} characters");
        }
        if (await x.Service<IAccountStore>().GetByDidAsync(did, x.Aborted) is null)
        {
            throw XrpcException.BadRequest("NotFound", "Account not found");
        }
        await x.Service<IAccountStore>().UpdatePasswordAsync(did, PasswordHasher.Hash(password), x.Aborted);
        await x.Service<ISessionStore>().DeleteRefreshTokensForAccountAsync(did, x.Aborted);
        await x.WriteOkAsync();
    }
}
