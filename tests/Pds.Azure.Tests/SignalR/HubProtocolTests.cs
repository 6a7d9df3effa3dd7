using System.Text;
using Pds.Azure.SignalR;

namespace Pds.Azure.Tests.SignalR;

public sealed class HubProtocolTests
{
    [Fact]
    public void HandshakeAndPing_AreTheJsonProtocolBytes()
    {
        Assert.Equal("{\"protocol\":\"json\",\"version\":1}\u001e", Encoding.UTF8.GetString(HubProtocol.HandshakeRequest.Span));
        Assert.Equal("{\"type\":6}\u001e", Encoding.UTF8.GetString(HubProtocol.Ping.Span));
    }

    [Theory]
    [InlineData("{}", null)]
    [InlineData("{\"minorVersion\":1}", null)]
    [InlineData("{\"error\":\"Requested protocol 'json' is not available.\"}", "Requested protocol 'json' is not available.")]
    public void ParseHandshakeResponse(string json, string? error)
    {
        Assert.Equal(error, HubProtocol.ParseHandshakeResponse(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void ParseMessage_Invocation()
    {
        var message = HubProtocol.ParseMessage("{\"type\":1,\"target\":\"seq\",\"arguments\":[1234,{\"did\":\"did:plc:x\"}]}"u8);

        var invocation = Assert.IsType<InvocationMessage>(message).Invocation;
        Assert.Equal("seq", invocation.Target);
        Assert.Equal(1234, invocation.Arguments[0].GetInt64());
        Assert.Equal("did:plc:x", invocation.Arguments[1].GetProperty("did").GetString());
    }

    [Theory]
    [InlineData("{\"type\":7}", null, false)]
    [InlineData("{\"type\":7,\"error\":\"Server is shutting down\",\"allowReconnect\":true}", "Server is shutting down", true)]
    [InlineData("{\"type\":7,\"error\":null,\"allowReconnect\":false}", null, false)]
    public void ParseMessage_Close(string json, string? error, bool allowReconnect)
    {
        Assert.Equal(new CloseMessage(error, allowReconnect), HubProtocol.ParseMessage(Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData("{\"type\":6}", typeof(PingMessage))]
    [InlineData("{\"type\":3,\"invocationId\":\"1\"}", typeof(OtherMessage))]
    [InlineData("{\"type\":99}", typeof(OtherMessage))]
    public void ParseMessage_OtherTypes(string json, Type expected)
    {
        Assert.IsType(expected, HubProtocol.ParseMessage(Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("1")]
    [InlineData("{")]
    [InlineData("{}")]
    [InlineData("{\"type\":\"1\"}")]
    [InlineData("{\"type\":1.5}")]
    [InlineData("{\"type\":1e99}")]
    [InlineData("{\"type\":1,\"arguments\":[]}")]
    [InlineData("{\"type\":1,\"target\":5,\"arguments\":[]}")]
    [InlineData("{\"type\":1,\"target\":\"seq\"}")]
    [InlineData("{\"type\":1,\"target\":\"seq\",\"arguments\":{}}")]
    [InlineData("{\"type\":7,\"allowReconnect\":\"yes\"}")]
    [InlineData("{\"type\":7,\"error\":[]}")]
    public void ParseMessage_Malformed_ThrowsHubProtocolException(string json)
    {
        Assert.Throws<HubProtocolException>(() => HubProtocol.ParseMessage(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void ParseMessage_InvalidUtf8OrDeepNesting_ThrowsHubProtocolException()
    {
        Assert.Throws<HubProtocolException>(() => HubProtocol.ParseMessage([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']));
        var deep = "{\"type\":1,\"target\":\"t\",\"arguments\":" + new string('[', 200) + new string(']', 200) + "}";
        Assert.Throws<HubProtocolException>(() => HubProtocol.ParseMessage(Encoding.UTF8.GetBytes(deep)));
    }
}
