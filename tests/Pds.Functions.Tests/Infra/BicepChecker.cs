using System.Text.Json;
using Pds.TestSupport;

namespace Pds.Functions.Tests.Infra;

/// <summary>
/// tests/bicep/check.js: the offline checks of infra/bicep (syntax, resource types and API
/// versions, role GUIDs, app settings, parameter files). Its npm packages are installed by
/// scripts/install-test-deps.sh; a missing install is a failure with the fix, not a skip.
/// </summary>
public static class BicepChecker
{
    public static string Folder { get; } = Path.Combine(RepoPaths.Root, "tests", "bicep");
    public static string InfraFolder { get; } = Path.Combine(RepoPaths.Root, "infra", "bicep");

    public static async Task<ScriptRunner.Result> RunAsync(string? infra = null, bool json = false)
    {
        foreach (var package in new[] { "tree-sitter", "tree-sitter-bicep", "@azure/arm-storage" })
        {
            if (!Directory.Exists(Path.Combine(Folder, "node_modules", package)))
            {
                throw new InvalidOperationException($"{Folder}/node_modules/{package} is missing: run `bash scripts/install-test-deps.sh`");
            }
        }
        var args = new List<string> { "check.js" };
        if (infra is not null)
        {
            args.AddRange(["--infra", infra]);
        }
        if (json)
        {
            args.Add("--json");
        }
        return await ScriptRunner.RunAsync("node", args, Folder);
    }

    public static async Task<JsonDocument> ReportAsync()
    {
        var result = await RunAsync(json: true);
        try
        {
            return JsonDocument.Parse(result.Stdout);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"check.js printed no JSON report ({e.Message}):\n{result}");
        }
    }
}
