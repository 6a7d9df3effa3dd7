using System.CommandLine;
using Spectre.Console;

namespace Pds.Functions.Cli;

/// <summary><c>pds unpack FILE DIR</c>: every record as a JSON file, plus the commit.</summary>
internal static class UnpackCommand
{
    public const string Name = "unpack";

    /// <summary>Below this many records unpacking is quick enough that a progress bar is only flicker.</summary>
    public const int ProgressThreshold = 500;

    public static Command Create(CliContext context)
    {
        var file = CarFileArgument.Create();
        var dir = new Argument<DirectoryInfo>("DIR")
        {
            Description = "Output directory; created if missing. Existing files with the same names are overwritten",
        };
        var command = new Command(Name,
            "Write each record of a repository CAR as JSON to DIR/<collection>/<rkey>.json, and the " +
            "commit to DIR/_commit.json. Checks structure first, not the signature.")
        {
            file,
            dir,
        };
        command.SetAction((parse, ct) => BadInput.GuardAsync(context, Name, async () =>
        {
            var loaded = await RepoCar.LoadAsync(parse.GetRequiredValue(file), key: null, ct).ConfigureAwait(false);
            var target = parse.GetRequiredValue(dir).FullName;
            var unpacker = new RepoUnpacker(loaded, target);
            if (context.OutIsTerminal && unpacker.RecordCount > ProgressThreshold)
            {
                await WithProgressAsync(context, unpacker, ct).ConfigureAwait(false);
            }
            else
            {
                await unpacker.WriteAsync(() => { }, ct).ConfigureAwait(false);
            }
            await context.Out.WriteLineAsync(
                $"unpacked {unpacker.RecordCount} records of {loaded.Repo.Commit.Did} (rev {loaded.Repo.Commit.Rev}) " +
                $"to {target}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Task WithProgressAsync(CliContext context, RepoUnpacker unpacker, CancellationToken ct)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Out) });
        return console.Progress().AutoClear(true).StartAsync(progress =>
        {
            var task = progress.AddTask("writing records", maxValue: unpacker.RecordCount);
            return unpacker.WriteAsync(() => task.Increment(1), ct);
        });
    }
}
