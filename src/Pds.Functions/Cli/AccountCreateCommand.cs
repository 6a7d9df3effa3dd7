using System.CommandLine;
using System.Text.Json.Nodes;

namespace Pds.Functions.Cli;

/// <summary><c>pds account create --handle H --email E [--password P]</c>: a new account on the running PDS.</summary>
internal static class AccountCreateCommand
{
    public const string Name = "create";
    private const string Path = AccountCommand.Name + " " + Name;

    public static Command Create(CliContext context)
    {
        var handle = new Option<string>("--handle")
        {
            Description = "The new account's handle. A bare name gets the server's first handle domain (alice -> alice.example.com)",
            HelpName = "HANDLE",
            Required = true,
        };
        var email = new Option<string>("--email")
        {
            Description = "The account's email address",
            HelpName = "EMAIL",
            Required = true,
        };
        var password = new Option<string?>("--password")
        {
            Description = "The account's password. Default: a generated one, printed once",
            HelpName = "PASSWORD",
        };
        var command = new Command(Name,
            "Create an account (com.atproto.server.createAccount) and print its DID. When the server requires invite codes, " +
            "a single-use code is minted first with the admin password.")
        {
            handle,
            email,
            password,
        };
        var options = new OperatorOptions().AddTo(command);
        command.SetAction((parse, ct) => OperatorException.GuardAsync(context, Path, async () =>
        {
            using var pds = XrpcClient.ForPds(options.Settings(parse));
            const string describe = "com.atproto.server.describeServer";
            var server = await pds.QueryAsync(describe, [], admin: false, ct).ConfigureAwait(false);
            var given = parse.GetValue(password);
            var generated = string.IsNullOrEmpty(given) ? GeneratedPassword.New() : null;
            var input = new JsonObject
            {
                ["handle"] = FullHandle(parse.GetRequiredValue(handle), server),
                ["email"] = parse.GetRequiredValue(email),
                ["password"] = generated ?? given,
            };
            if (server["inviteCodeRequired"] is JsonValue required && required.TryGetValue<bool>(out var yes) && yes)
            {
                input["inviteCode"] = await InviteCreateCommand.MintAsync(pds, 1, ct).ConfigureAwait(false);
            }
            const string create = "com.atproto.server.createAccount";
            var created = await pds.ProcedureAsync(create, input, admin: false, ct).ConfigureAwait(false);
            var did = XrpcClient.Required(created, create, "did");
            var createdHandle = XrpcClient.Required(created, create, "handle");
            await PasswordResult.WriteAsync(context, options.WantsJson(parse), $"created {createdHandle}", did, createdHandle, generated)
                .ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>A handle as given if it has a dot; a bare name under the server's first handle domain.</summary>
    private static string FullHandle(string handle, JsonObject server)
    {
        var name = handle.Trim().TrimStart('@');
        if (name.Contains('.', StringComparison.Ordinal))
        {
            return name;
        }
        var domain = server["availableUserDomains"] is JsonArray domains && domains.Count > 0 && domains[0] is JsonValue first
            && first.TryGetValue<string>(out var d) ? d : null;
        return domain is null ? name : name + (domain.StartsWith('.') ? domain : "." + domain);
    }
}
