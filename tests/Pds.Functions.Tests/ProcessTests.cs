using System.Diagnostics;
using System.Text.Json.Nodes;
using Pds.Functions.Cli;

namespace Pds.Functions.Tests;

/// <summary>The built program run as a real process: exit codes and streams as a shell sees them.</summary>
[Collection(ReferenceCarsCollection.Name)]
public sealed class ProcessTests(ReferenceCars cars)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Process_VerifyValidCar_ExitsZero()
    {
        var entry = cars.ValidEntries.First();

        var result = await RunPdsAsync("verify", cars.PathOf(entry), "--did-key", entry.DidKey);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("ok ", result.Out);
    }

    [Fact]
    public async Task Process_VerifyEveryInvalidCar_ExitsOneWithoutStackTrace()
    {
        foreach (var entry in cars.InvalidEntries)
        {
            CliRunner.AssertRejected(await RunPdsAsync("verify", cars.PathOf(entry), "--did-key", entry.DidKey));
        }
    }

    [Fact]
    public async Task Process_InspectValidCar_PrintsUtf8Json()
    {
        var entry = cars.ValidEntries.First();

        var result = await RunPdsAsync("inspect", cars.PathOf(entry));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal((string)entry.Expect!["commit"]!, (string?)JsonNode.Parse(result.Out)!["commit"]);
    }

    [Fact]
    public async Task Process_NonexistentFile_ExitsOne()
    {
        CliRunner.AssertRejected(await RunPdsAsync("inspect", Path.Combine(cars.Directory, "absent.car")));
    }

    [Fact]
    public async Task Process_NoArgs_RunsServeWhichReportsBadConfig()
    {
        // Bare `pds` is `pds serve`; a bad setting stops it before it listens, with the reason.
        var result = await RunPdsAsync(new Dictionary<string, string> { ["PDS_PORT"] = "not-a-port" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("PDS_PORT", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_MalformedDidKey_ExitsTwo()
    {
        var result = await RunPdsAsync("verify", cars.PathOf(cars.ValidEntries.First()), "--did-key", "did:key:nope");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--did-key", result.Error, StringComparison.Ordinal);
    }

    /// <summary>Runs pds.dll (copied next to the tests by the project reference) with the same dotnet host.</summary>
    private static Task<CliResult> RunPdsAsync(params string[] args) => RunPdsAsync(new Dictionary<string, string>(), args);

    private static async Task<CliResult> RunPdsAsync(Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(typeof(PdsCommand).Assembly.Location);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Timeout);
        await process.WaitForExitAsync(cts.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
