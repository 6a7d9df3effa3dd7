using Pds.Functions.Tests.E2E;
using Xunit.Abstractions;

namespace Pds.Functions.Tests.AzureMode;

/// <summary>The official-client end-to-end suite (writes, blobs, getRepo, firehose verification) on the Azure backend against Azurite.</summary>
public class AzureOfficialClientSuiteTests(AzurePdsServerFixture server, ITestOutputHelper output) : IClassFixture<AzurePdsServerFixture>
{
    [Fact]
    public Task E2ESuite_OnAzureBackend_Passes() => OfficialClientSuiteTests.RunAsync(server, output);
}
