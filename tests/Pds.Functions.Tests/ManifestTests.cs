namespace Pds.Functions.Tests;

/// <summary>The reference set still has the kinds of case the other tests rely on.</summary>
[Collection(ReferenceCarsCollection.Name)]
public sealed class ManifestTests(ReferenceCars cars)
{
    [Fact]
    public void Manifest_CoversKeyTypesSizesAndFailureKinds()
    {
        Assert.Contains(cars.ValidEntries, e => e.DidKey.StartsWith("did:key:zQ3s", StringComparison.Ordinal)); // k256
        Assert.Contains(cars.ValidEntries, e => e.DidKey.StartsWith("did:key:zDn", StringComparison.Ordinal)); // p256
        Assert.Contains(cars.ValidEntries, e => e.Records.Count == 0);
        Assert.Contains(cars.ValidEntries, e => e.Records.Count > Cli.UnpackCommand.ProgressThreshold);
        Assert.True(cars.InvalidEntries.Count(e => e.SignatureOnly) >= 2, "expected wrong-key and high-S cases");
        Assert.True(cars.InvalidEntries.Count(e => !e.SignatureOnly) >= 4, "expected tampered, missing, truncated and random cases");
    }
}
