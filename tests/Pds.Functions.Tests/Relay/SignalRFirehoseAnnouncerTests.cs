using System.Net;
using System.Text.Json.Nodes;
using Pds.Azure.SignalR;
using Pds.Functions.Firehose;
using Pds.Functions.Relay;

namespace Pds.Functions.Tests.Relay;

/// <summary>The sequencer's SignalR announcer at the wire: what it sends, and that failures only cost a log line.</summary>
public sealed class SignalRFirehoseAnnouncerTests : IAsyncLifetime
{
    private SignalRServiceStandIn _service = null!;

    public async Task InitializeAsync() => _service = await SignalRServiceStandIn.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Announce_SendsOnlyTheSeqToTheHub_AndWakesLocalSessions()
    {
        var (announcer, hub, _) = Create(_service.ConnectionString);

        await announcer.AnnounceAsync(1_780_000_000_000_123);

        var body = JsonNode.Parse(Assert.Single(_service.Sends))!;
        Assert.Equal("""{"target":"seq","arguments":[1780000000000123]}""", body.ToJsonString());
        Assert.Empty(_service.Refused);
        Assert.Equal(1_780_000_000_000_123, hub.LatestSeq);
    }

    [Fact]
    public async Task Announce_ServiceFails_DoesNotThrow_LogsWithoutTheKey()
    {
        _service.FailSendsWith = HttpStatusCode.InternalServerError;
        var (announcer, hub, log) = Create(_service.ConnectionString);

        await announcer.AnnounceAsync(7);

        Assert.Equal(7, hub.LatestSeq);
        var line = Assert.Single(log.Lines);
        Assert.StartsWith("Warning:", line);
        Assert.Contains("500", line);
        Assert.DoesNotContain(SignalRServiceStandIn.AccessKey, line);
    }

    [Fact]
    public async Task Announce_WrongKey_IsRefusedByTheService_AndOnlyLogged()
    {
        const string wrongKey = "not-the-service-key-9876543210";
        var (announcer, _, log) = Create(_service.ConnectionString.Replace(SignalRServiceStandIn.AccessKey, wrongKey, StringComparison.Ordinal));

        await announcer.AnnounceAsync(8);

        Assert.Empty(_service.Sends);
        Assert.Contains(_service.Refused, r => r.Contains("bad token signature", StringComparison.Ordinal));
        var line = Assert.Single(log.Lines);
        Assert.Contains("401", line);
        Assert.DoesNotContain(wrongKey, line);
    }

    [Fact]
    public async Task Announce_ServiceUnreachable_ReturnsWithinTheBudget()
    {
        var closedPort = Server.PdsServerFixture.FreePort();
        var (announcer, hub, log) = Create($"Endpoint=http://127.0.0.1:{closedPort};AccessKey={SignalRServiceStandIn.AccessKey};Version=1.0;");
        var started = DateTimeOffset.UtcNow;

        await announcer.AnnounceAsync(9);

        Assert.InRange(DateTimeOffset.UtcNow - started, TimeSpan.Zero, SignalRFirehoseAnnouncer.Budget + TimeSpan.FromSeconds(2));
        Assert.Equal(9, hub.LatestSeq);
        Assert.Single(log.Lines);
    }

    private static (SignalRFirehoseAnnouncer Announcer, FirehoseHub Hub, ListLogger<SignalRFirehoseAnnouncer> Log) Create(string connectionString)
    {
        var hub = new FirehoseHub();
        var log = new ListLogger<SignalRFirehoseAnnouncer>();
        var publisher = new SignalRRestPublisher(SignalRConnectionString.Parse(connectionString));
        return (new SignalRFirehoseAnnouncer(publisher, "firehose", hub, log), hub, log);
    }
}
