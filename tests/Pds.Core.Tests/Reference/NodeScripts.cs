using System.Diagnostics;

namespace Pds.Core.Tests.Reference;

/// <summary>
/// Runs the scripts in tests/js (the official @atproto packages). These differential tests
/// run everywhere: a missing node or node_modules is a failure with a fix, not a skip.
/// </summary>
public static class NodeScripts
{
    public static string JsDir { get; } = Locate();

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string script, IEnumerable<string> args, string? stdin = null)
    {
        if (!Directory.Exists(Path.Combine(JsDir, "node_modules", "@atproto")))
        {
            throw new InvalidOperationException($"{JsDir}/node_modules is missing: run `bash scripts/test.sh` (or `npm ci` in tests/js)");
        }
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = JsDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add(script);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pds.sln")))
            {
                return Path.Combine(dir.FullName, "tests", "js");
            }
        }
        throw new InvalidOperationException("repository root (Pds.sln) not found");
    }
}
