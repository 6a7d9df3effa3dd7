using Pds.Functions.Tests.Relay;
using Xunit.Abstractions;

namespace Pds.Functions.Tests.E2E;

/// <summary>
/// The same official-client suite with a relay in front (PDS_ROLES=relay, PDS_FORWARD_TO) of a
/// separate api+sequencer host: every XRPC call is forwarded, subscribeRepos is the relay's own,
/// and its sessions learn of new events through the SignalR stand-in.
/// </summary>
public class RelayedOfficialClientSuiteTests(RelayedPdsFixture server, ITestOutputHelper output) : IClassFixture<RelayedPdsFixture>
{
    [Fact]
    public Task E2ESuite_ThroughTheRelay_Passes() => OfficialClientSuiteTests.RunAsync(server, output);
}
