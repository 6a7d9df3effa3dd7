using Pds.Functions.Tests.E2E;
using Xunit.Abstractions;

namespace Pds.Functions.Tests.AzureMode;

/// <summary>The official-client end-to-end suite (writes, blobs, getRepo, firehose verification) on the Azure backend against Azurite.</summary>
public class AzureOfficialClientSuiteTests(AzurePdsServerFixture server, ITestOutputHelper output) : IClassFixture<AzurePdsServerFixture>
{
    [Fact]
    public Task E2ESuite_OnAzureBackend_Passes() => OfficialClientSuiteTests.RunAsync(server, output);
}

/// <summary>The same suite through a relay fronting an api+sequencer host, everything on Azurite.</summary>
public class AzureRelayedOfficialClientSuiteTests(AzureRelayedPdsFixture server, ITestOutputHelper output) : IClassFixture<AzureRelayedPdsFixture>
{
    [Fact]
    public Task E2ESuite_ThroughTheRelayOnAzureBackend_Passes() => OfficialClientSuiteTests.RunAsync(server, output);
}
