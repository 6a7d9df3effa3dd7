namespace Pds.Functions.Tests;

[Collection(ReferenceCarsCollection.Name)]
public sealed class VerifyCommandTests(ReferenceCars cars)
{
    [Fact]
    public Task Verify_ValidReferenceCarsWithDidKey_ExitsZeroWithOkLine() =>
        CliRunner.ForEachAsync(cars.ValidEntries, async entry =>
        {
            var result = await CliRunner.RunAsync("verify", cars.PathOf(entry), "--did-key", entry.DidKey);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal("", result.Error);
            var line = result.Out.TrimEnd();
            Assert.StartsWith("ok ", line);
            Assert.Contains((string)entry.Expect!["did"]!, line, StringComparison.Ordinal);
            Assert.Contains((string)entry.Expect!["rev"]!, line, StringComparison.Ordinal);
            Assert.Contains($"{entry.Records.Count} records", line, StringComparison.Ordinal);
            Assert.Contains("signature ok", line, StringComparison.Ordinal);
        });

    [Fact]
    public Task Verify_InvalidReferenceCarsWithDidKey_ExitsOneWithReason() =>
        CliRunner.ForEachAsync(cars.InvalidEntries, async entry =>
        {
            var result = await CliRunner.RunAsync("verify", cars.PathOf(entry), "--did-key", entry.DidKey);

            CliRunner.AssertRejected(result);
            Assert.Equal("", result.Out);
        });

    [Fact]
    public Task Verify_SignatureOnlyInvalidCars_NamesTheSignature() =>
        CliRunner.ForEachAsync(cars.InvalidEntries.Where(e => e.SignatureOnly), async entry =>
        {
            var result = await CliRunner.RunAsync("verify", cars.PathOf(entry), "--did-key", entry.DidKey);

            Assert.Contains("signature", result.Error, StringComparison.Ordinal);
        });

    [Fact]
    public Task Verify_ValidCarsWithoutDidKey_ExitsZeroAndWarnsSignatureNotChecked() =>
        CliRunner.ForEachAsync(cars.ValidEntries.Concat(cars.InvalidEntries.Where(e => e.SignatureOnly)), async entry =>
        {
            var result = await CliRunner.RunAsync("verify", cars.PathOf(entry));

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.StartsWith("ok ", result.Out);
            Assert.Contains("signature not checked", result.Error, StringComparison.Ordinal);
        });

    [Fact]
    public Task Verify_StructurallyBrokenCarsWithoutDidKey_ExitsOne() =>
        CliRunner.ForEachAsync(cars.InvalidEntries.Where(e => !e.SignatureOnly), async entry =>
        {
            CliRunner.AssertRejected(await CliRunner.RunAsync("verify", cars.PathOf(entry)));
        });

    [Fact]
    public async Task Verify_NonexistentFile_ExitsOneWithReason()
    {
        var result = await CliRunner.RunAsync("verify", Path.Combine(cars.Directory, "missing.car"), "--did-key", cars.Entries[0].DidKey);

        CliRunner.AssertRejected(result);
        Assert.Contains("missing.car", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("did:key:")]
    [InlineData("did:key:zQ3shBADBADBAD")]
    [InlineData("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")] // ed25519: not an atproto signing curve
    public async Task Verify_MalformedDidKey_ExitsTwoWithReason(string didKey)
    {
        var entry = cars.ValidEntries.First();

        var result = await CliRunner.RunAsync("verify", cars.PathOf(entry), "--did-key", didKey);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--did-key", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Verify_KeyOfOtherValidRepo_ExitsOne()
    {
        var keys = cars.ValidEntries.Select(e => e.DidKey).Distinct().ToList();
        var entry = cars.ValidEntries.First();
        var otherKey = keys.First(k => k != entry.DidKey);

        CliRunner.AssertRejected(await CliRunner.RunAsync("verify", cars.PathOf(entry), "--did-key", otherKey));
    }
}
