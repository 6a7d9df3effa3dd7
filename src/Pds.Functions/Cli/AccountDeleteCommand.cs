using System.CommandLine;
using System.Text.Json.Nodes;

namespace Pds.Functions.Cli;

/// <summary><c>pds account delete ACCOUNT --yes</c>: deletes an account for good.</summary>
internal static class AccountDeleteCommand
{
    public const string Name = "delete";
    private const string Path = AccountCommand.Name + " " + Name;
    private const string Nsid = "com.atproto.admin.deleteAccount";

    public static Command Create(CliContext context)
    {
        var account = AccountTarget.Argument();
        var yes = new Option<bool>("--yes")
        {
            Description = "Confirm: the account, its repository and its blobs are deleted and cannot be recovered",
        };
        var command = new Command(Name, $"Delete an account with its repository and blobs ({Nsid}). Requires --yes")
        {
            account,
            yes,
        };
        var options = new OperatorOptions().AddTo(command);
        command.SetAction((parse, ct) => OperatorException.GuardAsync(context, Path, async () =>
        {
            if (!parse.GetValue(yes))
            {
                await context.Error.WriteLineAsync(
                    $"pds {Path}: refusing to delete without --yes (the account, its repository and blobs cannot be recovered)").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            using var pds = XrpcClient.ForPds(options.Settings(parse));
            var did = await AccountTarget.ResolveAsync(pds, parse.GetRequiredValue(account), ct).ConfigureAwait(false);
            await pds.ProcedureAsync(Nsid, new JsonObject { ["did"] = did }, admin: true, ct).ConfigureAwait(false);
            await context.Out.WriteAsync(options.WantsJson(parse)
                ? JsonOutput.ToText(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("did", did);
                    w.WriteBoolean("deleted", true);
                    w.WriteEndObject();
                })
                : $"deleted {did}\n").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
