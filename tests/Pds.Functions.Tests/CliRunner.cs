using Pds.Functions.Cli;
using Xunit.Sdk;

namespace Pds.Functions.Tests;

public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Out}\nstderr: {Error}";
}

/// <summary>Runs the CLI in-process with captured output.</summary>
public static class CliRunner
{
    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(outIsTerminal: false, args);

    public static async Task<CliResult> RunAsync(bool outIsTerminal, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await PdsCommand.RunAsync(args, new CliContext(stdout, stderr, outIsTerminal));
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Exit 1 with a single-line reason and no stack trace.</summary>
    public static void AssertRejected(CliResult result)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        var reason = result.Error.Trim();
        Assert.False(string.IsNullOrEmpty(reason), "no reason on stderr");
        Assert.DoesNotContain('\n', reason);
        Assert.DoesNotContain(" at Pds.", reason, StringComparison.Ordinal);
    }

    /// <summary>Runs <paramref name="check"/> for every entry and reports every failure, not just the first.</summary>
    public static async Task ForEachAsync(IEnumerable<ManifestEntry> entries, Func<ManifestEntry, Task> check)
    {
        var failures = new List<string>();
        var count = 0;
        foreach (var entry in entries)
        {
            count++;
            try
            {
                await check(entry);
            }
            catch (Exception e) when (e is XunitException or FormatException or IOException)
            {
                failures.Add($"{entry.File}: {e.Message}");
            }
        }
        Assert.True(count > 0, "the manifest has no such cases");
        if (failures.Count > 0)
        {
            throw new XunitException(string.Join("\n\n", failures));
        }
    }
}
