using System.CommandLine;
using Pds.Functions.Hosting;

namespace Pds.Functions.Cli;

/// <summary><c>pds serve</c>: runs the PDS with settings from the environment (PDS_*) and appsettings.json.</summary>
public static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("serve", "Run the PDS (the default command). Settings come from PDS_* environment variables; see the README.");
        command.SetAction((_, ct) => RunAsync(context, ct));
        return command;
    }

    public static async Task<int> RunAsync(CliContext context, CancellationToken ct)
    {
        PdsConfig config;
        PdsSecrets secrets;
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
                .AddEnvironmentVariables()
                .Build();
            config = PdsConfig.Load(configuration, Directory.GetCurrentDirectory());
            secrets = PdsSecrets.Resolve(config);
        }
        catch (ConfigException e)
        {
            await context.Error.WriteLineAsync($"pds: {e.Message}");
            return ExitCodes.Failed;
        }
        WebApplication app;
        try
        {
            app = await PdsHost.BuildAsync(config, secrets);
        }
        catch (ConfigException e)
        {
            // Backend settings are checked as storage opens (e.g. AzureWebJobsStorage).
            await context.Error.WriteLineAsync($"pds: {e.Message}");
            return ExitCodes.Failed;
        }
        try
        {
            await app.StartAsync(ct);
        }
        catch (IOException e)
        {
            await context.Error.WriteLineAsync($"pds: cannot listen on {config.BindAddress}:{config.Port}: {e.Message}");
            return ExitCodes.Failed;
        }
        await context.Out.WriteLineAsync($"PDS listening on http://{config.BindAddress}:{config.Port} (public URL {config.PublicUrl}, data in {config.DataDirectory})");
        if (config.IsLocal)
        {
            await context.Out.WriteLineAsync($"Local run: PLC directory {config.PlcUrl}, handles under {string.Join(", ", config.ServiceHandleDomains)}; secrets in {Path.Combine(config.DataDirectory, PdsSecrets.FileName)}");
        }
        await app.WaitForShutdownAsync(ct);
        return ExitCodes.Ok;
    }
}
