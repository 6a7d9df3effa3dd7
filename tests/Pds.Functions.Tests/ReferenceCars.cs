using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pds.Functions.Tests;

/// <summary>One case of tests/js/make-cars.mjs; see tests/js/README.md for the format.</summary>
public sealed record ManifestEntry(string File, bool Valid, string DidKey, string? Reason, JsonObject? Expect)
{
    public IReadOnlyList<(string Path, string Cid)> Records =>
        Expect!["records"]!.AsArray().Select(r => ((string)r!["path"]!, (string)r["cid"]!)).ToList();

    /// <summary>
    /// Invalid only because of the signature (wrong key, high-S): the structure is sound, so the
    /// commands that do not check signatures accept it. Told apart by the manifest's reason.
    /// </summary>
    public bool SignatureOnly => !Valid && Reason!.Contains("signature", StringComparison.OrdinalIgnoreCase);

    public override string ToString() => File;
}

/// <summary>
/// Reference CARs written by the official JS library, generated once per test run into a
/// temporary directory. Missing Node or npm packages fail every test that needs them: these
/// differential tests are not optional.
/// </summary>
public sealed class ReferenceCars : IDisposable
{
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromMinutes(3);

    public ReferenceCars()
    {
        Directory = Path.Combine(Path.GetTempPath(), "pds-cli-cars-" + Guid.NewGuid().ToString("N"));
        var jsDir = Path.Combine(RepoRoot.Path, "tests", "js");
        if (!System.IO.Directory.Exists(Path.Combine(jsDir, "node_modules", "@atproto", "repo")))
        {
            throw Setup($"{jsDir}/node_modules is missing");
        }
        RunNode(jsDir, Path.Combine(jsDir, "make-cars.mjs"), Directory);
        var manifest = File.ReadAllText(Path.Combine(Directory, "manifest.json"));
        Entries = JsonSerializer.Deserialize<List<ManifestEntry>>(manifest, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException("manifest.json is empty");
    }

    public string Directory { get; }

    public IReadOnlyList<ManifestEntry> Entries { get; }

    public IEnumerable<ManifestEntry> ValidEntries => Entries.Where(e => e.Valid);

    public IEnumerable<ManifestEntry> InvalidEntries => Entries.Where(e => !e.Valid);

    public string PathOf(ManifestEntry entry) => Path.Combine(Directory, entry.File);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is not worth failing the run for.
        }
    }

    private static void RunNode(string workingDirectory, string script, string outDir)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(outDir);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw Setup("node did not start");
        }
        catch (Win32Exception e)
        {
            throw Setup($"cannot run node ({e.Message})");
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(NodeTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"node {script} took longer than {NodeTimeout}");
            }
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"node {script} exited with {process.ExitCode}: {stderr.Result}");
            }
        }
    }

    private static InvalidOperationException Setup(string problem) => new(
        $"{problem}. The reference CAR tests need Node.js and the official @atproto packages: " +
        "run `bash scripts/test.sh` (or `cd tests/js && npm ci`) first.");
}

[CollectionDefinition(Name)]
public sealed class ReferenceCarsCollection : ICollectionFixture<ReferenceCars>
{
    public const string Name = "reference CARs";
}
