using System.Text.Json.Nodes;

namespace Pds.Functions.Tests;

[Collection(ReferenceCarsCollection.Name)]
public sealed class InspectCommandTests(ReferenceCars cars)
{
    [Fact]
    public Task Inspect_ValidReferenceCars_OutputEqualsManifest() =>
        CliRunner.ForEachAsync(cars.ValidEntries, async entry =>
        {
            var result = await CliRunner.RunAsync("inspect", cars.PathOf(entry));

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal("", result.Error);
            var expected = entry.Expect!.DeepClone().AsObject();
            expected.Remove("mstLayer"); // not something inspect reports
            var actual = JsonNode.Parse(result.Out);
            Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected.ToJsonString()}\nactual {actual?.ToJsonString()}");
        });

    [Fact]
    public Task Inspect_StructurallyBrokenCars_ExitsOneWithReason() =>
        CliRunner.ForEachAsync(cars.InvalidEntries.Where(e => !e.SignatureOnly), async entry =>
        {
            var result = await CliRunner.RunAsync("inspect", cars.PathOf(entry));

            CliRunner.AssertRejected(result);
            Assert.Equal("", result.Out);
        });

    [Fact]
    public Task Inspect_SignatureOnlyInvalidCars_SucceedsSinceSignatureIsNotChecked() =>
        CliRunner.ForEachAsync(cars.InvalidEntries.Where(e => e.SignatureOnly), async entry =>
        {
            var result = await CliRunner.RunAsync("inspect", cars.PathOf(entry));

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.StartsWith("did:", (string?)JsonNode.Parse(result.Out)!["did"]);
        });

    [Fact]
    public async Task Inspect_NonexistentFile_ExitsOneWithReason()
    {
        var path = Path.Combine(cars.Directory, "no-such-file.car");

        var result = await CliRunner.RunAsync("inspect", path);

        CliRunner.AssertRejected(result);
        Assert.Contains("no such file", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_Directory_ExitsOneWithReason()
    {
        CliRunner.AssertRejected(await CliRunner.RunAsync("inspect", cars.Directory));
    }

    [Fact]
    public async Task Inspect_EmptyFile_ExitsOneWithReason()
    {
        var path = Path.Combine(cars.Directory, "empty-file.car");
        await File.WriteAllBytesAsync(path, []);

        CliRunner.AssertRejected(await CliRunner.RunAsync("inspect", path));
    }
}
