using System.Text.Json.Nodes;
using Pds.Core.Cbor;
using Pds.Core.DataModel;
using Pds.Core.Ipld;
using Pds.Functions.Cli;

namespace Pds.Functions.Tests;

[Collection(ReferenceCarsCollection.Name)]
public sealed class UnpackCommandTests(ReferenceCars cars) : IDisposable
{
    private readonly string _outRoot = Path.Combine(cars.Directory, "unpacked-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_outRoot))
        {
            Directory.Delete(_outRoot, recursive: true);
        }
    }

    /// <summary>Unpacks a valid case into a fresh directory, checking the exit code and summary.</summary>
    private async Task<string> UnpackAsync(ManifestEntry entry)
    {
        var dir = Path.Combine(_outRoot, Guid.NewGuid().ToString("N"), entry.File);
        var result = await CliRunner.RunAsync("unpack", cars.PathOf(entry), dir);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"unpacked {entry.Records.Count} records", result.Out, StringComparison.Ordinal);
        return dir;
    }

    [Fact]
    public Task Unpack_ValidReferenceCars_WritesOneFilePerRecordThatReencodesToItsCid() =>
        CliRunner.ForEachAsync(cars.ValidEntries, async entry =>
        {
            var dir = await UnpackAsync(entry);

            var written = Directory.GetFiles(dir, "*.json", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(dir, f))
                .Where(f => f != RepoUnpacker.CommitFileName)
                .Order(StringComparer.Ordinal);
            Assert.Equal(entry.Records.Select(r => r.Path + ".json").Order(StringComparer.Ordinal), written);
            foreach (var (path, cid) in entry.Records)
            {
                var record = DataModelJson.Parse(await File.ReadAllBytesAsync(Path.Combine(dir, path + ".json")));
                Assert.Equal(cid, Cid.ForDagCbor(DagCbor.Encode(record)).ToString());
            }
        });

    [Fact]
    public Task Unpack_ValidReferenceCars_CommitJsonReencodesToCommitCid() =>
        CliRunner.ForEachAsync(cars.ValidEntries, async entry =>
        {
            var dir = await UnpackAsync(entry);

            var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, RepoUnpacker.CommitFileName)))!.AsObject();
            var expect = entry.Expect!;
            Assert.Equal((string)expect["commit"]!, (string?)json["cid"]);
            Assert.Equal((string)expect["did"]!, (string?)json["did"]);
            Assert.Equal((string)expect["rev"]!, (string?)json["rev"]);
            Assert.Equal((int)expect["version"]!, (int?)json["version"]);
            Assert.Equal((string)expect["data"]!, (string?)json["data"]!["$link"]);
            Assert.Null(json["prev"]);
            Assert.NotNull((string?)json["sig"]!["$bytes"]);
            // Everything but our "cid" is the commit block itself, so it must hash back to the commit CID.
            json.Remove("cid");
            var commit = DataModelJson.Parse(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()));
            Assert.Equal((string)expect["commit"]!, Cid.ForDagCbor(DagCbor.Encode(commit)).ToString());
        });

    [Fact]
    public Task Unpack_StructurallyBrokenCars_ExitsOneAndCreatesNothing() =>
        CliRunner.ForEachAsync(cars.InvalidEntries.Where(e => !e.SignatureOnly), async entry =>
        {
            var dir = Path.Combine(_outRoot, entry.File);

            CliRunner.AssertRejected(await CliRunner.RunAsync("unpack", cars.PathOf(entry), dir));
            Assert.False(Directory.Exists(dir));
        });

    [Fact]
    public async Task Unpack_LargeRepoOnTerminal_ShowsProgressAndWritesEveryRecord()
    {
        var entry = cars.ValidEntries.First(e => e.Records.Count > UnpackCommand.ProgressThreshold);
        var dir = Path.Combine(_outRoot, entry.File);

        var result = await CliRunner.RunAsync(outIsTerminal: true, "unpack", cars.PathOf(entry), dir);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"unpacked {entry.Records.Count} records", result.Out, StringComparison.Ordinal);
        Assert.Equal(entry.Records.Count + 1, Directory.GetFiles(dir, "*.json", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task Unpack_LargeRepoRedirected_PrintsOnlyTheSummaryLine()
    {
        var entry = cars.ValidEntries.First(e => e.Records.Count > UnpackCommand.ProgressThreshold);

        var result = await CliRunner.RunAsync("unpack", cars.PathOf(entry), Path.Combine(_outRoot, entry.File));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Single(result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Unpack_DirIsAnExistingFile_ExitsOneWithReason()
    {
        var entry = cars.ValidEntries.First();
        Directory.CreateDirectory(_outRoot);
        var file = Path.Combine(_outRoot, "plain-file");
        await File.WriteAllTextAsync(file, "x");

        CliRunner.AssertRejected(await CliRunner.RunAsync("unpack", cars.PathOf(entry), file));
    }
}
