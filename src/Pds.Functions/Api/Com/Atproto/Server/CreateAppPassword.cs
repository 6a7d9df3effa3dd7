using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Pds.Core.Auth;
using Pds.Core.Storage;
using Pds.Core.Xrpc;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Server;

/// <summary>App passwords are shown once, in the reference's xxxx-xxxx-xxxx-xxxx shape; only a hash is kept.</summary>
public sealed class CreateAppPassword : IXrpcMethod
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public string Nsid => "com.atproto.server.createAppPassword";
    public XrpcKind Kind => XrpcKind.Procedure;

    public async Task HandleAsync(XrpcContext x)
    {
        var auth = x.RequireAuth(fullAccess: true);
        var body = await x.ReadJsonAsync();
        var name = RepoInputs.RequiredString(body, "name").Trim();
        if (name.Length is 0 or > 100)
        {
            throw XrpcException.InvalidRequest("name must be 1 to 100 characters");
        }
        var privileged = body.TryGetProperty("privileged", out var p) && p.ValueKind == System.Text.Json.JsonValueKind.True;
        var password = string.Join('-', Enumerable.Range(0, 4).Select(_ => RandomNumberGenerator.GetString(Alphabet, 4)));
        var now = x.Service<TimeProvider>().GetUtcNow();
        try
        {
            await x.Service<ISessionStore>().CreateAppPasswordAsync(new AppPasswordRecord(auth.Did, name, PasswordHasher.Hash(password), privileged, now), x.Aborted);
        }
        catch (AccountConflictException)
        {
            throw XrpcException.BadRequest("DuplicateName", "App password with this name already exists");
        }
        await x.WriteJsonAsync(new JsonObject
        {
            ["name"] = name,
            ["password"] = password,
            ["createdAt"] = Pds.Core.Syntax.AtDatetime.Format(now),
            ["privileged"] = privileged,
        });
    }
}
