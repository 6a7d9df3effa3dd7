using System.CommandLine;
using System.Text.Json.Nodes;

namespace Pds.Functions.Cli;

/// <summary><c>pds account takedown ACCOUNT [--reverse]</c>: takes an account down, or restores it.</summary>
internal static class AccountTakedownCommand
{
    public const string Name = "takedown";
    private const string Path = AccountCommand.Name + " " + Name;
    private const string Nsid = "com.atproto.admin.updateSubjectStatus";

    public static Command Create(CliContext context)
    {
        var account = AccountTarget.Argument();
        var reverse = new Option<bool>("--reverse")
        {
            Description = "Lift the takedown instead",
        };
        var command = new Command(Name,
            $"Take an account down ({Nsid}): it can no longer log in and its repository is no longer served. " +
            "--reverse restores it")
        {
            account,
            reverse,
        };
        var options = new OperatorOptions().AddTo(command);
        command.SetAction((parse, ct) => OperatorException.GuardAsync(context, Path, async () =>
        {
            using var pds = XrpcClient.ForPds(options.Settings(parse));
            var did = await AccountTarget.ResolveAsync(pds, parse.GetRequiredValue(account), ct).ConfigureAwait(false);
            var applied = !parse.GetValue(reverse);
            var input = new JsonObject
            {
                ["subject"] = new JsonObject { ["$type"] = "com.atproto.admin.defs#repoRef", ["did"] = did },
                ["takedown"] = new JsonObject { ["applied"] = applied },
            };
            await pds.ProcedureAsync(Nsid, input, admin: true, ct).ConfigureAwait(false);
            await context.Out.WriteAsync(options.WantsJson(parse)
                ? JsonOutput.ToText(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("did", did);
                    w.WriteBoolean("takedown", applied);
                    w.WriteEndObject();
                })
                : applied ? $"took down {did}\n" : $"restored {did}\n").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
