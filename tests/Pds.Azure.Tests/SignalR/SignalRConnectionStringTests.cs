using Pds.Azure.SignalR;

namespace Pds.Azure.Tests.SignalR;

public sealed class SignalRConnectionStringTests
{
    private const string Key = "c2VjcmV0LWtleS1kby1ub3QtbG9n";

    [Fact]
    public void Parse_AccessKey_ReadsEndpointAndKey()
    {
        var cs = SignalRConnectionString.Parse($"Endpoint=https://pds.service.signalr.net;AccessKey={Key};Version=1.0;");

        Assert.Equal(new Uri("https://pds.service.signalr.net"), cs.Endpoint);
        Assert.Equal(cs.Endpoint, cs.ClientEndpoint);
        Assert.Equal(SignalRAuthType.AccessKey, cs.AuthType);
        Assert.Equal(Key, cs.AccessKey);
    }

    [Fact]
    public void ToString_NeverShowsTheKey()
    {
        var cs = SignalRConnectionString.Parse($"Endpoint=https://pds.service.signalr.net/;AccessKey={Key};Version=1.0;");

        Assert.DoesNotContain(Key, cs.ToString());
        Assert.Equal("Endpoint=https://pds.service.signalr.net/;AccessKey=***;Version=1.0;", cs.ToString());
    }

    [Theory]
    [InlineData("Endpoint=https://pds.service.signalr.net;AuthType=azure.msi;Version=1.0;", SignalRAuthType.ManagedIdentity, null)]
    [InlineData("Endpoint=https://pds.service.signalr.net;AuthType=azure.msi;ClientId=1111-22;Version=1.0;", SignalRAuthType.ManagedIdentity, "1111-22")]
    [InlineData("endpoint=https://pds.service.signalr.net;authtype=Azure", SignalRAuthType.DefaultCredential, null)]
    public void Parse_IdentityBased(string text, SignalRAuthType type, string? clientId)
    {
        var cs = SignalRConnectionString.Parse(text);

        Assert.Equal(type, cs.AuthType);
        Assert.Equal(clientId, cs.ClientId);
        Assert.Null(cs.AccessKey);
        Assert.NotNull(cs.CreateCredential());
    }

    [Fact]
    public void Parse_PortAndClientEndpoint()
    {
        var cs = SignalRConnectionString.Parse($"Endpoint=http://localhost;Port=8888;ClientEndpoint=https://relay.example.com;AccessKey={Key};Version=1.0;");

        Assert.Equal(new Uri("http://localhost:8888"), cs.Endpoint);
        Assert.Equal(new Uri("https://relay.example.com"), cs.ClientEndpoint);
    }

    [Theory]
    [InlineData("")]
    [InlineData("AccessKey=" + Key)]
    [InlineData("Endpoint=ftp://x;AccessKey=" + Key)]
    [InlineData("Endpoint=https://x?a=b;AccessKey=" + Key)]
    [InlineData("Endpoint=https://x")]
    [InlineData("Endpoint=https://x;AccessKey=" + Key + ";AuthType=azure.msi")]
    [InlineData("Endpoint=https://x;AuthType=azure.app")]
    [InlineData("Endpoint=https://x;AccessKey=" + Key + ";Version=2.0")]
    [InlineData("Endpoint=https://x;Endpoint=https://y;AccessKey=" + Key)]
    [InlineData("Endpoint=https://x;AccessKey=" + Key + ";Port=99999")]
    [InlineData("Endpoint=https://x;garbage;AccessKey=" + Key)]
    public void Parse_Invalid_ThrowsFormatExceptionWithoutTheKey(string text)
    {
        var error = Assert.ThrowsAny<FormatException>(() => SignalRConnectionString.Parse(text));

        Assert.DoesNotContain(Key, error.Message);
    }
}
