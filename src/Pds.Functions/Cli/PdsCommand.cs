using System.CommandLine;
using System.CommandLine.Help;

namespace Pds.Functions.Cli;

/// <summary>
/// The <c>pds</c> command line. Each subcommand lives in its own file and is added here:
/// the server, operator commands for a running server, and repository tools.
/// </summary>
public static class PdsCommand
{
    public const string Name = "pds";

    /// <summary>
    /// A plain command named "pds" rather than a <see cref="RootCommand"/>, whose name comes from
    /// the host executable (e.g. "testhost" in-process); help and version are added by hand.
    /// </summary>
    public static Command Create(CliContext context) =>
        new(Name, "An AT Protocol Personal Data Server: `pds serve` (the default) runs it; `account`, `invite` and `request-crawl` " +
            "operate a running one through its XRPC API; the others are tools for repository CAR files. " +
            "Exit codes: 0 ok, 1 failed (invalid input, server unreachable or refusing), 2 usage error.")
        {
            new HelpOption(),
            new VersionOption(),
            InspectCommand.Create(context),
            VerifyCommand.Create(context),
            UnpackCommand.Create(context),
            ServeCommand.Create(context),
            AccountCommand.Create(context),
            InviteCommand.Create(context),
            RequestCrawlCommand.Create(context),
            BackupCommand.CreateBackup(context),
            BackupCommand.CreateRestore(context),
        };

    /// <summary>Parses and runs one command line. Exit codes: 0 ok, 1 bad input, 2 usage error.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken ct = default)
    {
        var root = Create(context);
        // Bare `pds` runs the server, like the reference distribution's single command.
        var parsed = root.Parse(args.Count == 0 ? ["serve"] : args);
        if (parsed.Errors.Count == 0)
        {
            return await parsed.InvokeAsync(Invocation(context.Out, context.Error), ct).ConfigureAwait(false);
        }
        foreach (var error in parsed.Errors)
        {
            await context.Error.WriteLineAsync($"pds: {error.Message}").ConfigureAwait(false);
        }
        await context.Error.WriteLineAsync($"Run '{CommandPath(parsed.CommandResult.Command)} --help' for usage.").ConfigureAwait(false);
        return ExitCodes.Usage;
    }

    private static InvocationConfiguration Invocation(TextWriter output, TextWriter error) => new() { Output = output, Error = error };

    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Add(c.Name);
        }
        names.Reverse();
        return string.Join(' ', names);
    }
}
