using System.Text;
using Pds.Azure.SignalR;

namespace Pds.Azure.Tests.SignalR;

public sealed class HubUrlTests
{
    [Theory]
    [InlineData("https://x.service.signalr.net/client/?hub=firehose", "https://x.service.signalr.net/client/negotiate?hub=firehose&negotiateVersion=1")]
    [InlineData("http://127.0.0.1:5000/hub", "http://127.0.0.1:5000/hub/negotiate?negotiateVersion=1")]
    public void NegotiateUrl(string hubUrl, string expected)
    {
        Assert.Equal(expected, HubConnection.NegotiateUrl(new Uri(hubUrl)).AbsoluteUri);
    }

    [Theory]
    [InlineData("https://x.service.signalr.net/client/?hub=firehose", "a+b/c", "tok", "wss://x.service.signalr.net/client/?hub=firehose&id=a%2Bb%2Fc&access_token=tok")]
    [InlineData("http://127.0.0.1:5000/hub", "id1", null, "ws://127.0.0.1:5000/hub?id=id1")]
    public void WebSocketUrl(string hubUrl, string connectionToken, string? accessToken, string expected)
    {
        Assert.Equal(expected, HubConnection.WebSocketUrl(new Uri(hubUrl), connectionToken, accessToken).AbsoluteUri);
    }

    [Fact]
    public async Task ForService_MintsClientTokenForTheClientUrl()
    {
        const string key = "k3y-for-tests";
        var cs = SignalRConnectionString.Parse($"Endpoint=https://pds.service.signalr.net;AccessKey={key};Version=1.0;");

        var options = SignalRHubClientOptions.ForService(cs, "firehose", TimeSpan.FromMinutes(10));
        var token = await options.AccessTokenProvider!(CancellationToken.None);

        Assert.Equal(new Uri("https://pds.service.signalr.net/client/?hub=firehose"), options.HubUrl);
        var (_, payload) = SignalRAccessTokenTests.VerifyHs256(token!, Encoding.UTF8.GetBytes(key));
        Assert.Equal("https://pds.service.signalr.net/client/?hub=firehose", payload.GetProperty("aud").GetString());
        Assert.InRange(payload.GetProperty("exp").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(9).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(11).ToUnixTimeSeconds());
    }

    [Fact]
    public void ForService_IdentityConnectionString_Refused()
    {
        var cs = SignalRConnectionString.Parse("Endpoint=https://pds.service.signalr.net;AuthType=azure.msi;Version=1.0;");

        Assert.Throws<InvalidOperationException>(() => SignalRHubClientOptions.ForService(cs, "firehose"));
    }
}
