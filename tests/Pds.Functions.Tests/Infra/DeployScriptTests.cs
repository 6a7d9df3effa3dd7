using Pds.TestSupport;

namespace Pds.Functions.Tests.Infra;

/// <summary>
/// scripts/deploy.sh without Azure: it refuses incomplete input naming what is missing, and
/// --dry-run prints the commands of a whole deployment without running any of them. An `az` that
/// fails loudly is first on PATH, so a dry run that called Azure would fail.
/// </summary>
public sealed class DeployScriptTests : IDisposable
{
    private static readonly string Script = Path.Combine(RepoPaths.Root, "scripts", "deploy.sh");
    private readonly DirectoryInfo _fakeBin = Directory.CreateTempSubdirectory("pds-deploy-fake-bin-");

    public DeployScriptTests()
    {
        foreach (var tool in new[] { "az", "dig" })
        {
            var path = Path.Combine(_fakeBin.FullName, tool);
            File.WriteAllText(path, $"#!/bin/sh\necho \"{tool} must not run in this test: $*\" >&2\nexit 97\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    public void Dispose() => _fakeBin.Delete(recursive: true);

    [Theory]
    [InlineData(new string[0], "--resource-group --topology --hostname")]
    [InlineData(new[] { "--topology", "serverless" }, "--resource-group --hostname")]
    [InlineData(new[] { "--resource-group", "rg", "--topology", "container" }, "--hostname")]
    [InlineData(new[] { "--resource-group", "rg", "--hostname", "pds.example.com", "--dry-run" }, "--topology")]
    public async Task MissingParameters_AreNamed_ExitCode2(string[] args, string named)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"missing required parameter(s): {named}\n", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("usage: scripts/deploy.sh", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Theory]
    [InlineData("--topology", "lambda", "--topology must be serverless, container or community (got 'lambda')")]
    [InlineData("--hostname", "not a host", "--hostname must be a DNS name such as pds.example.com (got 'not a host')")]
    [InlineData("--colour", "blue", "unknown argument '--colour'")]
    public async Task BadValues_AreRefused_ExitCode2(string option, string value, string message)
    {
        var args = new List<string> { "--resource-group", "rg", "--topology", "container", "--hostname", "pds.example.com" };
        var at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRun_Serverless_PrintsTheWholeDeployment()
    {
        var result = await RunAsync(["-g", "pds-rg", "-t", "serverless", "--hostname", "PDS.Example.com", "--relays", "bsky.network,relay.example.org", "--dry-run"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var steps = new[]
        {
            "# base parameters: hostname=pds.example.com deployApps=false",
            "+ az deployment group create --resource-group pds-rg --name pds-base",
            "--name pds-jwt-secret --file",
            "--name pds-forward-secret --file",
            "-t:PublishContainer",
            "scripts/package.sh",
            "+ az deployment group create --resource-group pds-rg --name pds-apps",
            "+ az functionapp deployment source config-zip --resource-group pds-rg",
            "TXT    asuid.pds.example.com",
            "CNAME  *.pds.example.com",
            "--name pds-bind",
            "+ curl -fsS https://pds.example.com/xrpc/_health",
            "request-crawl --hostname pds.example.com bsky.network relay.example.org",
        };
        var at = 0;
        foreach (var step in steps)
        {
            var found = result.Stdout.IndexOf(step, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"expected, after position {at}: {step}\n{result}");
            at = found;
        }
        // Sign mode: the rotation key is a vault key, not a secret.
        Assert.DoesNotContain("pds-plc-rotation-key", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("must not run", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRun_Container_MakesTheRotationKeySecret_AndNoFunctionPackage()
    {
        var result = await RunAsync(["-g", "pds-rg", "-t", "container", "--hostname", "pds.example.com", "--apex", "--dry-run"]);

        AssertSucceeded(result,
            contains: ["--name pds-plc-rotation-key --file", "--parameters @" + Path.Combine(RepoPaths.Root, "infra", "bicep", "container.parameters.json"), "A      pds.example.com"],
            lacks: ["config-zip", "package.sh"]);
    }

    [Fact]
    public async Task WhatIf_PreviewsOnly()
    {
        var result = await RunAsync(["-g", "pds-rg", "-t", "community", "--hostname", "pds.example.com", "--what-if", "--dry-run"]);

        AssertSucceeded(result, contains: ["+ az deployment group what-if --resource-group pds-rg"], lacks: ["deployment group create", "secret set"]);
    }

    [Fact]
    public async Task Script_IsCleanForBashAndShellcheck()
    {
        var syntax = await ScriptRunner.RunAsync("bash", ["-n", Script], RepoPaths.Root);
        Assert.True(syntax.ExitCode == 0, syntax.ToString());
        // shellcheck is optional on a developer machine; where it is installed it must be clean.
        var shellcheck = Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(d => Path.Combine(d, "shellcheck")).FirstOrDefault(File.Exists);
        if (shellcheck is not null)
        {
            var lint = await ScriptRunner.RunAsync(shellcheck, [Script, Path.Combine(RepoPaths.Root, "scripts", "install-test-deps.sh")], RepoPaths.Root);
            Assert.True(lint.ExitCode == 0, lint.ToString());
        }
    }

    private static void AssertSucceeded(ScriptRunner.Result result, string[] contains, string[] lacks)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var text in contains)
        {
            Assert.True(result.Stdout.Contains(text, StringComparison.Ordinal), $"missing: {text}\n{result}");
        }
        foreach (var text in lacks)
        {
            Assert.False(result.Stdout.Contains(text, StringComparison.Ordinal), $"unexpected: {text}\n{result}");
        }
    }

    private Task<ScriptRunner.Result> RunAsync(IEnumerable<string> args) =>
        ScriptRunner.RunAsync("bash", new[] { Script }.Concat(args), RepoPaths.Root, new Dictionary<string, string?>
        {
            ["PATH"] = _fakeBin.FullName + ":" + Environment.GetEnvironmentVariable("PATH"),
        });
}
