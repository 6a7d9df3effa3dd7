using System.Diagnostics;
using System.Text.Json.Nodes;
using Pds.TestSupport;

namespace Pds.Functions.Tests.Package;

/// <summary>
/// The deployable zip, built once per test run with <c>scripts/package.sh</c> (never reused from
/// an earlier run: CI starts from a clean checkout, so the build itself is under test) into a
/// temporary folder, then unzipped with the real <c>unzip</c>, which restores Unix modes the way
/// the Functions host's own extraction does.
/// </summary>
public sealed class FunctionAppPackage : IAsyncLifetime
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);
    private readonly string _work = Path.Combine(Path.GetTempPath(), "pds-package-" + Guid.NewGuid().ToString("N"));

    public string ZipPath => Path.Combine(_work, "functionapp.zip");

    /// <summary>The unzipped app root: what the host sees as its function app directory.</summary>
    public string Root => Path.Combine(_work, "approot");

    public JsonObject HostJson { get; private set; } = null!;

    /// <summary>customHandler.description: the executable (resolved as the host does) and its arguments.</summary>
    public string Executable { get; private set; } = null!;

    public IReadOnlyList<string> Arguments { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_work);
        var bash = RepoPaths.FindExecutable("bash") ?? throw new InvalidOperationException("bash is not on PATH");
        await RunAsync(bash, [Path.Combine(RepoPaths.Root, "scripts", "package.sh"), ZipPath], RepoPaths.Root, BuildTimeout, BuildEnvironment());
        var unzip = RepoPaths.FindExecutable("unzip")
            ?? throw new InvalidOperationException("unzip is not on PATH: run scripts/install-test-deps.sh");
        await RunAsync(unzip, ["-q", ZipPath, "-d", Root], _work, TimeSpan.FromMinutes(2), new Dictionary<string, string?>());

        HostJson = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "host.json")))!.AsObject();
        var description = HostJson["customHandler"]?["description"]
            ?? throw new InvalidOperationException("host.json has no customHandler.description");
        var exe = (string?)description["defaultExecutablePath"] ?? throw new InvalidOperationException("no defaultExecutablePath");
        // The host turns a relative path into an absolute one when that file exists under the app root.
        var candidate = Path.Combine(Root, exe);
        Executable = File.Exists(candidate) ? candidate : exe;
        Arguments = description["arguments"]?.AsArray().Select(a => (string)a!).ToList() ?? [];
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// The nested build must not inherit the test host's MSBuild settings, nor leave build servers
    /// (MSBuild nodes, the compiler server) running after the test run ends.
    /// </summary>
    private static Dictionary<string, string?> BuildEnvironment()
    {
        var environment = new Dictionary<string, string?>
        {
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["UseSharedCompilation"] = "false",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) && !environment.ContainsKey(name))
            {
                environment[name] = null;
            }
        }
        return environment;
    }

    private static async Task RunAsync(string file, string[] args, string workingDirectory, TimeSpan timeout, Dictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(file)} {string.Join(' ', args)} took longer than {timeout}");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} {string.Join(' ', args)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class FunctionAppPackageCollection : ICollectionFixture<FunctionAppPackage>
{
    public const string Name = "functionapp package";
}
