using System.Diagnostics;
using Pds.Functions.Tests.Server;
using Pds.TestSupport;
using Xunit.Abstractions;

namespace Pds.Functions.Tests.E2E;

/// <summary>
/// The end-to-end suite of tests/e2e (official @atproto/api client, @atproto/repo verification
/// of CARs and of every firehose commit) run against this PDS, started in-process with a real
/// PLC directory. Its output is attached to the test result.
/// </summary>
public class OfficialClientSuiteTests(PdsServerFixture server, ITestOutputHelper output) : IClassFixture<PdsServerFixture>
{
    [Fact]
    public Task E2ESuite_AgainstThisPds_Passes() => RunAsync(server, output);

    /// <summary>Runs tests/e2e against <paramref name="server"/>'s base URL; the suite's output goes to <paramref name="output"/>.</summary>
    internal static async Task RunAsync(PdsServerFixture server, ITestOutputHelper output)
    {
        var folder = Path.Combine(RepoPaths.Root, "tests", "e2e");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "@atproto", "api")))
        {
            throw new InvalidOperationException("tests/e2e/node_modules is missing: run `bash scripts/test.sh` (or scripts/install-test-deps.sh)");
        }
        var psi = new ProcessStartInfo(RepoPaths.FindExecutable("node") ?? throw new InvalidOperationException("node is not on PATH"))
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in (string[])["e2e.mjs", "--pds", server.BaseUrl.ToString().TrimEnd('/'), "--plc", server.PlcUrl.ToString().TrimEnd('/'),
            "--admin-password", server.Secrets.AdminPassword, "--reporter", "spec", "--known-deviations", KnownDeviations])
        {
            psi.ArgumentList.Add(arg);
        }
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        output.WriteLine(await stdout);
        output.WriteLine(await stderr);
        Assert.True(process.ExitCode == 0, $"e2e suite failed (exit {process.ExitCode}):\n{await stdout}\n{await stderr}");
    }

    /// <summary>Scenarios that need Lexicon record validation, which this PDS does not do yet (validationStatus "unknown").</summary>
    private const string KnownDeviations = "lexicon-validation";
}
