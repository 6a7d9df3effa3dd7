using System.CommandLine;
using System.Text.Json.Nodes;

namespace Pds.Functions.Cli;

/// <summary><c>pds account reset-password ACCOUNT [--password P]</c>: sets a new password, ending the account's sessions.</summary>
internal static class AccountResetPasswordCommand
{
    public const string Name = "reset-password";
    private const string Path = AccountCommand.Name + " " + Name;
    private const string Nsid = "com.atproto.admin.updateAccountPassword";

    public static Command Create(CliContext context)
    {
        var account = AccountTarget.Argument();
        var password = new Option<string?>("--password")
        {
            Description = "The new password. Default: a generated one, printed once",
            HelpName = "PASSWORD",
        };
        var command = new Command(Name, $"Set an account's password ({Nsid}); its sessions end")
        {
            account,
            password,
        };
        var options = new OperatorOptions().AddTo(command);
        command.SetAction((parse, ct) => OperatorException.GuardAsync(context, Path, async () =>
        {
            using var pds = XrpcClient.ForPds(options.Settings(parse));
            var did = await AccountTarget.ResolveAsync(pds, parse.GetRequiredValue(account), ct).ConfigureAwait(false);
            var given = parse.GetValue(password);
            var generated = string.IsNullOrEmpty(given) ? GeneratedPassword.New() : null;
            await pds.ProcedureAsync(Nsid, new JsonObject { ["did"] = did, ["password"] = generated ?? given }, admin: true, ct)
                .ConfigureAwait(false);
            await PasswordResult.WriteAsync(context, options.WantsJson(parse), "password changed; the account's sessions have ended", did, null, generated)
                .ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
