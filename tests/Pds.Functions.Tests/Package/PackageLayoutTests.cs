using System.IO.Compression;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using Pds.TestSupport;

namespace Pds.Functions.Tests.Package;

/// <summary>What the Functions host needs to find in the zip: host.json, the function definitions, a runnable handler.</summary>
[Collection(FunctionAppPackageCollection.Name)]
[SupportedOSPlatform("linux")] // the package is linux-x64; file modes are a Unix notion
public sealed class PackageLayoutTests(FunctionAppPackage package)
{
    private const UnixFileMode ExecuteAll = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    [Fact]
    public void HostJson_CustomHandler_RunsThePackagedExecutable()
    {
        var host = package.HostJson;
        Assert.Equal("2.0", (string?)host["version"]);
        // Both flags: newer hosts proxy the original request, older ones forward it; neither means JSON envelopes.
        Assert.True((bool?)host["customHandler"]!["enableForwardingHttpRequest"]);
        Assert.True((bool?)host["customHandler"]!["enableProxyingHttpRequest"]);
        // XRPC lives at /xrpc/..., not under the default api/ prefix.
        Assert.Equal("", (string?)host["extensions"]?["http"]?["routePrefix"]);
        Assert.Equal(package.Root, Path.GetDirectoryName(package.Executable));
        Assert.Equal(new[] { "serve" }, package.Arguments);
        Assert.True(File.Exists(package.Executable), $"{package.Executable} is not in the package");
    }

    [Fact]
    public void Executable_KeepsItsExecuteBits_AfterUnzip()
    {
        Assert.Equal(ExecuteAll, File.GetUnixFileMode(package.Executable) & ExecuteAll);
        // The package is self-contained: the runtime's native host library sits beside the apphost.
        Assert.True(File.Exists(Path.Combine(package.Root, "libhostfxr.so")), "libhostfxr.so missing: not a self-contained publish");
        Assert.True(File.Exists(Path.Combine(package.Root, "libe_sqlite3.so")), "libe_sqlite3.so missing: the linux-x64 SQLite native library did not ship");
    }

    [Fact]
    public void ZipEntry_RecordsMode0755_AndDotNetExtractionRestoresIt()
    {
        using var zip = ZipFile.OpenRead(package.ZipPath);
        var entry = zip.GetEntry(Path.GetFileName(package.Executable)) ?? throw new InvalidOperationException("no executable entry");
        // Unix zips keep st_mode in the high 16 bits of the external attributes.
        Assert.Equal(Convert.ToInt32("100755", 8), (entry.ExternalAttributes >> 16) & 0xFFFF);
        // .NET's extraction on Unix applies those bits too (so a host or tool built on it keeps the handler runnable).
        var copy = Path.Combine(Path.GetTempPath(), "pds-entry-" + Guid.NewGuid().ToString("N"));
        try
        {
            entry.ExtractToFile(copy);
            Assert.Equal(ExecuteAll, File.GetUnixFileMode(copy) & ExecuteAll);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public void EveryFunctionDefinition_IsPackagedUnchanged_AndNoOther()
    {
        var source = Path.Combine(RepoPaths.Root, "functions");
        var expected = Directory.GetDirectories(source).Select(Path.GetFileName).Order().ToList();
        var packaged = Directory.GetDirectories(package.Root)
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .Select(Path.GetFileName).Order().ToList();

        Assert.Equal(expected, packaged);
        Assert.Contains("xrpc", packaged);
        Assert.Contains("sequencer", packaged);
        foreach (var name in expected)
        {
            Assert.Equal(
                File.ReadAllText(Path.Combine(source, name!, "function.json")),
                File.ReadAllText(Path.Combine(package.Root, name!, "function.json")));
        }
    }

    [Fact]
    public void HttpFunctions_AreOneAnonymousTriggerAndOneHttpOutput_SoTheHostForwards()
    {
        foreach (var file in Directory.GetFiles(package.Root, "function.json", SearchOption.AllDirectories))
        {
            var bindings = JsonNode.Parse(File.ReadAllText(file))!["bindings"]!.AsArray();
            var trigger = bindings.Single(b => ((string?)b!["direction"]) == "in");
            if ((string?)trigger!["type"] != "httpTrigger")
            {
                continue;
            }
            // Anything but exactly httpTrigger-in + http-out makes the host send JSON envelopes instead.
            Assert.Equal(2, bindings.Count);
            Assert.Equal("http", (string?)bindings.Single(b => (string?)b!["direction"] == "out")!["type"]);
            Assert.Equal("anonymous", (string?)trigger["authLevel"]);
        }
    }

    [Fact]
    public void SequencerFunction_IsTheQueueTriggerTheHandlerServes()
    {
        var bindings = JsonNode.Parse(File.ReadAllText(Path.Combine(package.Root, "sequencer", "function.json")))!["bindings"]!.AsArray();
        var trigger = Assert.Single(bindings, b => (string?)b!["direction"] == "in")!;
        Assert.Equal("queueTrigger", (string?)trigger["type"]);
        // The handler reads Data.item and decodes a string payload.
        Assert.Equal("item", (string?)trigger["name"]);
        Assert.Equal("string", (string?)trigger["dataType"]);
    }
}
