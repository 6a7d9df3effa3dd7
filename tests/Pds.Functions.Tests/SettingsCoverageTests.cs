using System.Text.Json;
using System.Text.RegularExpressions;
using Pds.TestSupport;

namespace Pds.Functions.Tests;

/// <summary>Every setting the program reads is listed in local.settings.sample.json, and nothing else is.</summary>
public sealed partial class SettingsCoverageTests
{
    [Fact]
    public void SampleSettings_ListExactlyWhatPdsConfigReads()
    {
        var source = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "Pds.Functions", "Hosting", "PdsConfig.cs"));
        var read = SettingName().Matches(source).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "local.settings.sample.json")));
        var listed = sample.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        // The Functions runtime's own setting: the host reads it, the program does not.
        listed.Remove("FUNCTIONS_WORKER_RUNTIME");

        Assert.True(read.Count > 30, $"found only {read.Count} settings in PdsConfig.cs: has its shape changed?");
        Assert.Empty(read.Except(listed).Order());
        Assert.Empty(listed.Except(read).Order());
    }

    /// <summary>Settings are read as c["NAME"] or by helpers given "NAME" (Int(c, "PDS_PORT", ...)).</summary>
    [GeneratedRegex("\"((?:PDS|AzureWebJobs|AZURE|FUNCTIONS)[A-Za-z0-9_]*)\"")]
    private static partial Regex SettingName();
}
