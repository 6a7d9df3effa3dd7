using System.Net;
using System.Net.Sockets;
using Pds.Core.Identity;

namespace Pds.Net.Tests;

/// <summary>UDP TXT queries against real dnsmasq, and against loopback sockets that misbehave on purpose.</summary>
public sealed class DnsTxtClientTests(DnsmasqFixture dns) : IClassFixture<DnsmasqFixture>
{
    [Fact]
    public async Task QueryTxt_Dnsmasq_RecordsAsConfigured()
    {
        var client = dns.Client();
        var alice = await client.QueryTxtAsync("_atproto.alice.test", CancellationToken.None);
        Assert.Equal(DnsResponseCode.NoError, alice.ResponseCode);
        Assert.Equal(["did=" + DnsmasqFixture.AliceDid], alice.Txt.Select(t => t.Text));

        var twice = await client.QueryTxtAsync("_ATPROTO.Twice.Test.", CancellationToken.None);
        Assert.Equal(2, twice.Txt.Count);

        var split = await client.QueryTxtAsync("_atproto.split.test", CancellationToken.None);
        Assert.Equal(2, split.Txt.Single().Strings.Count);
        Assert.Equal("did=" + DnsmasqFixture.SplitDid, split.Txt.Single().Text);

        var none = await client.QueryTxtAsync("_atproto.none.test", CancellationToken.None);
        Assert.Equal(DnsResponseCode.NameError, none.ResponseCode);
        Assert.Empty(none.Txt);
    }

    [Fact]
    public async Task QueryTxt_SilentServer_RetriesOnceThenTimeout()
    {
        using var silent = LoopbackUdp();
        var client = new DnsTxtClient((IPEndPoint)silent.LocalEndPoint!, TimeSpan.FromMilliseconds(300), retries: 1);

        await Assert.ThrowsAsync<TimeoutException>(() => client.QueryTxtAsync("_atproto.alice.test", CancellationToken.None));

        var ids = new HashSet<int>();
        var buffer = new byte[512];
        while (silent.Available > 0)
        {
            var n = silent.Receive(buffer);
            Assert.True(n > 12);
            ids.Add((buffer[0] << 8) | buffer[1]);
        }
        Assert.Equal(2, ids.Count);
    }

    [Fact]
    public async Task QueryTxt_StrayDatagramsFirst_IgnoredUntilTheRealAnswer()
    {
        using var server = LoopbackUdp();
        var query = Client(server).QueryTxtAsync("_atproto.alice.test", CancellationToken.None);
        var (request, from) = await ReceiveAsync(server);

        // Wrong id, then a runt, then the real answer (the question echoed, one TXT record).
        var wrongId = Answer(request, "did=did:plc:wrongwrongwrongwrongwron");
        wrongId[1] ^= 0xff;
        await server.SendToAsync(wrongId, from);
        await server.SendToAsync(new byte[1], from);
        await server.SendToAsync(Answer(request, "did=did:plc:rightrightrightrightrigh"), from);

        var response = await query;
        Assert.Equal(["did=did:plc:rightrightrightrightrigh"], response.Txt.Select(t => t.Text));
    }

    [Fact]
    public async Task QueryTxt_MalformedAnswerWithTheRightId_DnsFormatException()
    {
        using var server = LoopbackUdp();
        var query = Client(server).QueryTxtAsync("_atproto.alice.test", CancellationToken.None);
        var (request, from) = await ReceiveAsync(server);
        var answer = Answer(request, "did=x");
        answer[7] = 5; // claims five answers, carries one
        await server.SendToAsync(answer, from);

        await Assert.ThrowsAsync<DnsFormatException>(() => query);
    }

    [Fact]
    public void ResolvConf_FirstNameserverInFileOrder()
    {
        const string text = """
            # generated
            ; comment
            search example.com
            nameserver   not-an-address
            nameserver 10.0.0.53 # trailing
            nameserver\t::1
            options ndots:2
            """;
        var servers = ResolvConf.ParseNameservers(text.Replace("\\t", "\t", StringComparison.Ordinal));
        Assert.Equal([IPAddress.Parse("10.0.0.53"), IPAddress.IPv6Loopback], servers);
        Assert.Null(ResolvConf.FirstNameserver("/nonexistent/resolv.conf"));
    }

    private static Socket LoopbackUdp()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static DnsTxtClient Client(Socket server) =>
        new((IPEndPoint)server.LocalEndPoint!, TimeSpan.FromSeconds(5), retries: 0);

    private static async Task<(byte[] Request, EndPoint From)> ReceiveAsync(Socket server)
    {
        var buffer = new byte[512];
        var received = await server.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0));
        return (buffer[..received.ReceivedBytes], received.RemoteEndPoint);
    }

    /// <summary>A response to <paramref name="request"/>: its header and question, QR set, one TXT answer.</summary>
    private static byte[] Answer(byte[] request, string txt)
    {
        var text = System.Text.Encoding.ASCII.GetBytes(txt);
        var answer = new List<byte>(request);
        answer[2] = 0x81;
        answer[3] = 0x80;
        answer[7] = 1;
        answer.AddRange([0xc0, 12, 0, 16, 0, 1, 0, 0, 0, 60, 0, (byte)(text.Length + 1), (byte)text.Length]);
        answer.AddRange(text);
        return [.. answer];
    }
}
