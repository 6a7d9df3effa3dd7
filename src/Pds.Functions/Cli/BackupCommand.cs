using System.CommandLine;
using Pds.Functions.Hosting;
using Pds.Functions.Hosting.Azure;

namespace Pds.Functions.Cli;

/// <summary>
/// <c>pds backup --to DIR</c> and <c>pds restore --from DIR/STAMP</c>: the Azure backend's tables
/// to and from newline-delimited JSON, with the same settings as <c>pds serve</c>.
/// </summary>
public static class BackupCommand
{
    public static Command CreateBackup(CliContext context)
    {
        var to = new Option<DirectoryInfo>("--to") { Description = "Folder to write the backup into (a timestamped subfolder is created)", Required = true };
        var command = new Command("backup", "Export every table of the Azure backend (PDS_STORAGE_BACKEND=azure) to newline-delimited JSON") { to };
        command.SetAction((parse, ct) => RunAsync(context, async (config, clock) =>
        {
            var folder = await AzureBackup.BackupAsync(config, parse.GetValue(to)!.FullName, clock, context.Out, ct);
            await context.Out.WriteLineAsync($"backup written to {folder}");
        }));
        return command;
    }

    public static Command CreateRestore(CliContext context)
    {
        var from = new Option<DirectoryInfo>("--from") { Description = "A backup folder (the timestamped one, holding manifest.json)", Required = true };
        var command = new Command("restore", "Import a backup into Azure storage that holds no accounts yet; the firehose seq continues upward") { from };
        command.SetAction((parse, ct) => RunAsync(context, async (config, clock) =>
            await AzureBackup.RestoreAsync(config, parse.GetValue(from)!.FullName, clock, context.Out, ct)));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, Func<PdsConfig, TimeProvider, Task> action)
    {
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
                .AddEnvironmentVariables()
                .Build();
            await action(PdsConfig.Load(configuration, Directory.GetCurrentDirectory()), TimeProvider.System);
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is ConfigException or FormatException or IOException or Pds.Azure.Storage.StorageRequestException)
        {
            await context.Error.WriteLineAsync($"pds: {e.Message}");
            return ExitCodes.Failed;
        }
    }
}
