using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Pds.Functions.Cli;

/// <summary><c>pds invite create [--uses N]</c>: mints an invite code on the running PDS.</summary>
internal static class InviteCreateCommand
{
    public const string Name = "create";
    private const string Path = InviteCommand.Name + " " + Name;
    private const string Nsid = "com.atproto.server.createInviteCode";

    /// <summary>The server's own limit on uses per code.</summary>
    private const int MaxUses = 100_000;

    public static Command Create(CliContext context)
    {
        var uses = new Option<int>("--uses")
        {
            Description = "How many accounts the code can create",
            HelpName = "N",
            DefaultValueFactory = _ => 1,
            CustomParser = ParseUses,
        };
        var command = new Command(Name, $"Create an invite code ({Nsid}) and print it")
        {
            uses,
        };
        var options = new OperatorOptions().AddTo(command);
        command.SetAction((parse, ct) => OperatorException.GuardAsync(context, Path, async () =>
        {
            using var pds = XrpcClient.ForPds(options.Settings(parse));
            var code = await MintAsync(pds, parse.GetValue(uses), ct).ConfigureAwait(false);
            await context.Out.WriteAsync(options.WantsJson(parse)
                ? JsonOutput.ToText(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("code", code);
                    w.WriteEndObject();
                })
                : code + "\n").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static int ParseUses(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var uses) && uses is >= 1 and <= MaxUses)
        {
            return uses;
        }
        result.AddError($"--uses '{text}' is not a whole number from 1 to {MaxUses}");
        return 0;
    }

    /// <summary>A new invite code good for <paramref name="uses"/> accounts.</summary>
    public static async Task<string> MintAsync(XrpcClient pds, int uses, CancellationToken ct)
    {
        var answer = await pds.ProcedureAsync(Nsid, new JsonObject { ["useCount"] = uses }, admin: true, ct).ConfigureAwait(false);
        return XrpcClient.Required(answer, Nsid, "code");
    }
}
