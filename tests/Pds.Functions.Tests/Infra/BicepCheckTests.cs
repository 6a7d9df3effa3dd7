using Microsoft.Extensions.Configuration;
using System.Text.Json;
using Pds.Functions.Hosting;

namespace Pds.Functions.Tests.Infra;

/// <summary>The deployment in infra/bicep passes every offline check, and what it gives each process starts the app.</summary>
public sealed class BicepCheckTests
{
    // Stand-ins for values the template computes (resource names, outputs) and for the secrets it references.
    private static readonly Dictionary<string, string> Placeholders = new(StringComparer.Ordinal)
    {
        ["PDS_HOSTNAME"] = "pds.example.com",
        ["AzureWebJobsStorage__accountName"] = "pdsexample",
        ["AZURE_CLIENT_ID"] = "00000000-0000-0000-0000-000000000001",
        ["PDS_KEY_VAULT_URL"] = "https://pds-example-kv.vault.azure.net/",
        ["PDS_CRAWLERS"] = "bsky.network",
        ["PDS_INVITE_REQUIRED"] = "true",
        ["PDS_ADMIN_PASSWORD"] = "an admin password",
        ["PDS_JWT_SECRET"] = new string('7', 64),
        ["PDS_FORWARD_SECRET"] = "a forward secret of some length",
        ["PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX"] = new string('1', 64),
        ["PDS_KEY_ENCRYPTION_KEY_HEX"] = new string('2', 64),
        ["PDS_SIGNALR_CONNECTION_STRING"] = "Endpoint=https://pds-example.service.signalr.net;AccessKey=a-key;Version=1.0;",
    };

    [Fact]
    public async Task InfraBicep_PassesEveryCheck()
    {
        var result = await BicepChecker.RunAsync();
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("0 problem(s)", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_CoversThreeTopologiesAndTheResourcesTheyNeed()
    {
        using var report = await BicepChecker.ReportAsync();
        var root = report.RootElement;
        Assert.Empty(root.GetProperty("problems").EnumerateArray());
        var processes = root.GetProperty("processes").EnumerateArray()
            .Select(p => $"{p.GetProperty("topology").GetString()}/{p.GetProperty("process").GetString()}").Order().ToList();
        Assert.Equal(["community/api", "community/relay", "community/sequencer", "container/all", "serverless/function", "serverless/relay"], processes);
        var types = root.GetProperty("resources").EnumerateArray().Select(t => t.GetString()!.Split('@')[0]).ToHashSet();
        foreach (var expected in new[]
        {
            "Microsoft.Web/sites", "Microsoft.Web/serverfarms", "Microsoft.App/containerApps", "Microsoft.App/managedEnvironments",
            "Microsoft.App/managedEnvironments/managedCertificates", "Microsoft.SignalRService/signalR", "Microsoft.KeyVault/vaults/keys",
            "Microsoft.Storage/storageAccounts/tableServices/tables", "Microsoft.Storage/storageAccounts/queueServices/queues",
            "Microsoft.Storage/storageAccounts/blobServices/containers", "Microsoft.Insights/components", "Microsoft.Insights/metricAlerts",
            "Microsoft.Insights/diagnosticSettings", "Microsoft.OperationalInsights/workspaces", "Microsoft.Authorization/roleAssignments",
        })
        {
            Assert.Contains(expected, types);
        }
    }

    [Fact]
    public async Task EveryProcess_StartsWithTheSettingsTheTemplateGivesIt()
    {
        using var report = await BicepChecker.ReportAsync();
        var work = Directory.CreateTempSubdirectory("pds-infra-settings-");
        try
        {
            foreach (var process in report.RootElement.GetProperty("processes").EnumerateArray())
            {
                var name = $"{process.GetProperty("topology").GetString()}/{process.GetProperty("process").GetString()}";
                var values = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var setting in process.GetProperty("settings").EnumerateObject())
                {
                    values[setting.Name] = setting.Value.ValueKind == JsonValueKind.String ? setting.Value.GetString() : Placeholder(name, setting.Name);
                }
                foreach (var secret in process.GetProperty("secrets").EnumerateArray())
                {
                    values[secret.GetString()!] = Placeholder(name, secret.GetString()!);
                }
                if (process.GetProperty("kind").GetString() == "function")
                {
                    // The Functions host adds this when it starts the custom handler.
                    values["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7071";
                }
                var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
                PdsConfig config;
                try
                {
                    config = PdsConfig.Load(configuration, work.FullName);
                    PdsSecrets.Resolve(config);
                }
                catch (ConfigException e)
                {
                    throw new Xunit.Sdk.XunitException($"{name}: the app refuses its settings: {e.Message}");
                }
                Assert.Equal(StorageBackend.Azure, config.StorageBackend);
                Assert.NotNull(config.KeyVaultUrl);
                Assert.False(config.IsLocal, name);
                if (config.Roles.HasFlag(PdsRoles.Relay) && !config.Roles.HasFlag(PdsRoles.Api))
                {
                    Assert.NotNull(config.ForwardTo);
                }
            }
            // Nothing may have been written: a cloud process has no disk of its own.
            Assert.Empty(work.EnumerateFileSystemInfos("*", SearchOption.AllDirectories));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string Placeholder(string process, string setting) =>
        Placeholders.TryGetValue(setting, out var value)
            ? value
            : throw new Xunit.Sdk.XunitException($"{process}: {setting} is computed by the template; add a stand-in value to {nameof(BicepCheckTests)}.{nameof(Placeholders)}");
}
