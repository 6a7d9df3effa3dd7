using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pds.Azure.SignalR;

namespace Pds.Azure.Tests.SignalR;

public sealed class SignalRAccessTokenTests
{
    private const string Key = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg=";

    [Fact]
    public void Create_IsHs256OverUtf8KeyBytes()
    {
        var exp = DateTimeOffset.FromUnixTimeSeconds(1_900_000_000);

        var token = SignalRAccessToken.Create("https://x.service.signalr.net/api/hubs/firehose/:send", Key, exp);

        var (header, payload) = VerifyHs256(token, Encoding.UTF8.GetBytes(Key));
        Assert.Equal("HS256", header.GetProperty("alg").GetString());
        Assert.Equal("https://x.service.signalr.net/api/hubs/firehose/:send", payload.GetProperty("aud").GetString());
        Assert.Equal(1_900_000_000, payload.GetProperty("exp").GetInt64());
        Assert.False(payload.TryGetProperty("nameid", out _));
    }

    [Fact]
    public void CreateForClient_AudienceIsClientUrlWithHubQuery()
    {
        var cs = SignalRConnectionString.Parse($"Endpoint=https://pds.service.signalr.net;AccessKey={Key};Version=1.0;");

        var token = SignalRAccessToken.CreateForClient(cs, "Firehose", DateTimeOffset.UtcNow.AddMinutes(5), userId: "relay-1");

        var (_, payload) = VerifyHs256(token, Encoding.UTF8.GetBytes(Key));
        Assert.Equal("https://pds.service.signalr.net/client/?hub=firehose", payload.GetProperty("aud").GetString());
        Assert.Equal("relay-1", payload.GetProperty("nameid").GetString());
        Assert.Equal(new Uri("https://pds.service.signalr.net/client/?hub=firehose"), SignalRAccessToken.ClientHubUrl(cs, "firehose"));
    }

    [Theory]
    [InlineData("https://x.service.signalr.net/api/hubs/h/:send?api-version=2022-06-01", "https://x.service.signalr.net/api/hubs/h/:send")]
    [InlineData("https://x.service.signalr.net/api/v1/hubs/h/", "https://x.service.signalr.net/api/v1/hubs/h")]
    [InlineData("http://127.0.0.1:8888/api/hubs/h/:send", "http://127.0.0.1:8888/api/hubs/h/:send")]
    public void RestAudience_DropsQueryAndTrailingSlash(string url, string audience)
    {
        Assert.Equal(audience, SignalRAccessToken.RestAudience(new Uri(url)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1hub")]
    [InlineData("hub/../x")]
    [InlineData("hub?x=1")]
    public void HubName_Invalid_Rejected(string hub)
    {
        var cs = SignalRConnectionString.Parse($"Endpoint=https://pds.service.signalr.net;AccessKey={Key};Version=1.0;");

        Assert.Throws<ArgumentException>(() => SignalRAccessToken.ClientHubUrl(cs, hub));
    }

    /// <summary>Checks an HS256 JWT with a from-scratch HMAC (independent of the code under test).</summary>
    internal static (JsonElement Header, JsonElement Payload) VerifyHs256(string token, byte[] key)
    {
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        var expected = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        Assert.Equal(expected, Base64Url.DecodeFromChars(parts[2]));
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
        var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement;
        return (header, payload);
    }
}
