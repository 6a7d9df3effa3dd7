using Microsoft.Extensions.Configuration;
using Pds.Azure.SignalR;
using Pds.Functions.Hosting;

namespace Pds.Functions.Tests.Relay;

/// <summary>PDS_SIGNALR_*, PDS_RELAY_POLL_MS and PDS_FORWARD_*: parsed like the other settings, refused with a clear message.</summary>
public sealed class RelayConfigTests
{
    private const string Key = "config-test-access-key-123";
    private const string Secret = "config-test-secret-0123456";

    [Fact]
    public void Defaults_NoSignalR_NoForwarding_TwoSecondPolls()
    {
        var config = Load();

        Assert.Null(config.SignalR);
        Assert.Equal("firehose", config.SignalRHub);
        Assert.Equal(TimeSpan.FromSeconds(2), config.RelayPollInterval);
        Assert.Null(config.ForwardTo);
        Assert.Null(config.ForwardSecret);
    }

    [Fact]
    public void RelaySettings_Parsed()
    {
        var config = Load(
            ("PDS_ROLES", "relay"),
            ("PDS_SIGNALR_CONNECTION_STRING", $"Endpoint=https://pds.service.signalr.net;AccessKey={Key};Version=1.0;"),
            ("PDS_SIGNALR_HUB", "pdsfirehose"),
            ("PDS_RELAY_POLL_MS", "500"),
            ("PDS_FORWARD_TO", "https://my-pds.azurewebsites.net/"),
            ("PDS_FORWARD_SECRET", Secret));

        Assert.Equal(new Uri("https://pds.service.signalr.net"), config.SignalR!.Endpoint);
        Assert.Equal(SignalRAuthType.AccessKey, config.SignalR.AuthType);
        Assert.Equal("pdsfirehose", config.SignalRHub);
        Assert.Equal(TimeSpan.FromMilliseconds(500), config.RelayPollInterval);
        Assert.Equal("https://my-pds.azurewebsites.net/", config.ForwardTo!.AbsoluteUri);
        Assert.Equal(Secret, config.ForwardSecret);
    }

    [Fact]
    public void Sequencer_MayUseAnIdentityBasedConnectionString()
    {
        var config = Load(("PDS_ROLES", "api,sequencer"), ("PDS_SIGNALR_CONNECTION_STRING", "Endpoint=https://pds.service.signalr.net;AuthType=azure.msi;Version=1.0;"));

        Assert.Equal(SignalRAuthType.ManagedIdentity, config.SignalR!.AuthType);
    }

    [Theory]
    [InlineData("PDS_FORWARD_TO", "https://x.example", "PDS_ROLES", "relay", "needs PDS_FORWARD_SECRET")]
    [InlineData("PDS_FORWARD_TO", "https://x.example", "PDS_FORWARD_SECRET", Secret, "PDS_ROLES=relay")]
    [InlineData("PDS_FORWARD_SECRET", "short", "PDS_ROLES", "api", "at least 16")]
    [InlineData("PDS_FORWARD_TO", "ftp://x.example", "PDS_ROLES", "relay", "absolute http(s) URL")]
    [InlineData("PDS_FORWARD_TO", "https://x.example/?a=b", "PDS_ROLES", "relay", "absolute http(s) URL")]
    [InlineData("PDS_RELAY_POLL_MS", "10", "PDS_ROLES", "relay", "PDS_RELAY_POLL_MS must be between")]
    [InlineData("PDS_SIGNALR_CONNECTION_STRING", "Endpoint=https://x.service.signalr.net;AuthType=azure.msi;Version=1.0;", "PDS_ROLES", "relay", "needs an AccessKey")]
    public void BadSettings_AreConfigErrors(string name, string value, string otherName, string otherValue, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => Load((name, value), (otherName, otherValue)));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedConnectionString_IsAConfigError_ThatDoesNotRepeatTheKey()
    {
        var e = Assert.Throws<ConfigException>(() => Load(("PDS_SIGNALR_CONNECTION_STRING", $"Endpoint=not a url;AccessKey={Key};Version=1.0;")));

        Assert.StartsWith("PDS_SIGNALR_CONNECTION_STRING:", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, e.Message, StringComparison.Ordinal);
    }

    private static PdsConfig Load(params (string Name, string Value)[] settings) =>
        PdsConfig.Load(
            new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Name, s.Value))).Build(),
            Path.GetTempPath());
}
