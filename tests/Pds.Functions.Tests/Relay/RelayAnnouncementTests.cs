namespace Pds.Functions.Tests.Relay;

/// <summary>A relay that only polls rarely (10 minutes): only SignalR can tell it of new events quickly.</summary>
public sealed class SignalROnlyRelayFixture : RelayedPdsFixture
{
    protected override TimeSpan PollInterval => TimeSpan.FromMinutes(10);
}

/// <summary>A relay without SignalR: polling the event log is all it has.</summary>
public sealed class PollingOnlyRelayFixture : RelayedPdsFixture
{
    protected override bool UseSignalR => false;

    protected override TimeSpan PollInterval => TimeSpan.FromMilliseconds(250);
}

public class SignalRAnnouncementTests(SignalROnlyRelayFixture server) : IClassFixture<SignalROnlyRelayFixture>
{
    [Fact]
    public async Task CommitInTheApiHost_ReachesTheRelayThroughTheHub()
    {
        await WaitUntilAsync(() => server.SignalR!.ConnectedClients == 1, "the relay never connected to the hub");

        await RelayTests.PostAndSeeOnRelayAsync(server, "hub", TimeSpan.FromSeconds(5));

        Assert.Empty(server.SignalR!.Refused);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string message)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }
        Assert.True(condition(), message);
    }
}

public class PollingAnnouncementTests(PollingOnlyRelayFixture server) : IClassFixture<PollingOnlyRelayFixture>
{
    [Fact]
    public async Task CommitInTheApiHost_ReachesTheRelayByPolling()
    {
        await RelayTests.PostAndSeeOnRelayAsync(server, "poll", TimeSpan.FromSeconds(3));
    }
}
