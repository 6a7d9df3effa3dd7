namespace Pds.Functions.Tests.Infra;

/// <summary>Each check of tests/bicep/check.js fails, with a message naming the fault, on a copy of infra/bicep broken on purpose.</summary>
public sealed class BicepCheckMutationTests
{
    public static TheoryData<string, string, string, string, string> Mutations => new()
    {
        // file, find, replace with, expected message part, check
        { "modules/registry.bicep", "  sku: { name: 'Basic' }", "  sku: { name: 'Basic' ", "modules/registry.bicep:7:1: unparseable", "syntax" },
        { "main.bicep", "param location string = resourceGroup().location", "param location string = resourceGroup().location +", "unparseable", "syntax" },
        { "modules/containerapp.bicep", "Microsoft.App/containerApps@2025-07-01", "Microsoft.App/containerApps@2025-13-01", "Microsoft.App/containerApps has no API version 2025-13-01", "resources" },
        { "modules/identity.bicep", "Microsoft.ManagedIdentity/userAssignedIdentities@", "Microsoft.ManagedIdentity/userAssignedIdentitys@", "userAssignedIdentitys is not in Azure's published REST API", "resources" },
        { "modules/storage.bicep", "Microsoft.Storage/storageAccounts@2025-08-01", "Microsoft.Storage/StorageAccounts@2025-08-01", "is spelled Microsoft.Storage/storageAccounts by Azure", "resources" },
        { "roles.json", "\"7f951dda-4ed3-4680-a7ca-43fe172d538d\"", "\"8311e382-0749-4cb8-b61a-304f252e45ec\"", "'AcrPull' is 7f951dda-4ed3-4680-a7ca-43fe172d538d in Microsoft's documentation", "roles" },
        { "main.bicep", "[ 'Key Vault Crypto Officer', 'Key Vault Secrets User' ]", "[ 'Key Vault Crypto Officers', 'Key Vault Secrets User' ]", "role 'Key Vault Crypto Officers' is not in roles.json", "roles" },
        { "modules/roles-signalr.bicep", "roles['SignalR REST API Owner'])\n  properties", "'420fcaa2-552c-430f-98ca-3264be4806c7')\n  properties", "GUID literal 420fcaa2-552c-430f-98ca-3264be4806c7", "roles" },
        { "main.bicep", "  PDS_RELAY_POLL_MS: '500'\n", "  PDS_RELAY_POLL_MS: '500'\n  PDS_RELAY_POLL_SECONDS: '1'\n", "community relay: PDS_RELAY_POLL_SECONDS is not a setting the app reads", "settings" },
        { "main.bicep", "  PDS_FORWARD_TO: 'https://${functionApp.outputs.defaultHostName}'\n", "", "serverless relay: needs PDS_FORWARD_TO", "settings" },
        { "main.bicep", "  PDS_KEY_VAULT_WRAP_KEY: wrapKeyName\n  PDS_CRAWLERS: crawlers\n  PDS_INVITE_REQUIRED", "  PDS_CRAWLERS: crawlers\n  PDS_INVITE_REQUIRED", "container all: needs PDS_KEY_VAULT_WRAP_KEY", "settings" },
        { "main.bicep", "  PDS_RATE_LIMITS_ENABLED: 'true'\n  AzureWebJobsDisableHomepage: 'true'\n", "  PDS_RATE_LIMITS_ENABLED: 'true'\n  AzureWebJobsDisableHomepage: 'true'\n  PDS_ADMIN_PASSWORD: 'hunter2'\n", "serverless function: PDS_ADMIN_PASSWORD is a secret", "settings" },
        { "main.bicep", "  AzureWebJobsDisableHomepage: 'true'\n", "  AzureWebJobsDisableHomepage: 'true'\n  FUNCTIONS_WORKER_RUNTIME: 'custom'\n", "FUNCTIONS_WORKER_RUNTIME must not be set", "settings" },
        { "container.parameters.json", "\"value\": \"container\"", "\"value\": \"serverless\"", "topology is 'serverless', expected 'container'", "params" },
        { "community.parameters.json", "\"storageSku\"", "\"storageKind\"", "parameter 'storageKind' is not declared in main.bicep", "params" },
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public async Task BrokenCopy_FailsWithAClearMessage(string file, string find, string replace, string expected, string check)
    {
        var copy = Directory.CreateTempSubdirectory("pds-bicep-mutant-");
        try
        {
            CopyTree(BicepChecker.InfraFolder, copy.FullName);
            var path = Path.Combine(copy.FullName, file);
            var text = await File.ReadAllTextAsync(path);
            Assert.True(text.Contains(find, StringComparison.Ordinal), $"{file} no longer contains the text this mutation changes: {find}");
            await File.WriteAllTextAsync(path, text.Replace(find, replace, StringComparison.Ordinal));

            var result = await BicepChecker.RunAsync(copy.FullName);

            Assert.True(result.ExitCode == 1, result.ToString());
            var line = result.Stdout.Split('\n').FirstOrDefault(l => l.Contains(expected, StringComparison.Ordinal));
            Assert.True(line is not null, $"expected a '{check}' problem containing \"{expected}\":\n{result}");
            Assert.StartsWith(check + ":", line, StringComparison.Ordinal);
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
