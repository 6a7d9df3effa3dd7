using Pds.TestSupport;
using System.Net;
using System.Net.Sockets;

namespace Pds.Net.Tests;

/// <summary>
/// A real DNS server: dnsmasq on a free 127.0.0.1 port, answering only from the TXT records
/// below (no upstream, no hosts file; names under .test and .localhost are local, so others
/// there get NXDOMAIN). Started once per test class and killed after it.
/// </summary>
public sealed class DnsmasqFixture : IAsyncLifetime
{
    public const string AliceDid = "did:plc:alicealicealicealicealic";
    public const string SplitDid = "did:plc:splitsplitsplitsplitspl";
    public const string MixedDid = "did:plc:mixedmixedmixedmixedmixe";
    public const string BothDnsDid = "did:plc:dnsdnsdnsdnsdnsdnsdnsdnsd";

    /// <summary>name, character-strings of one TXT record (several lines with one name = several records).</summary>
    public static readonly (string Name, string[] Strings)[] Records =
    [
        ("_atproto.alice.test", ["did=" + AliceDid]),
        ("_atproto.twice.test", ["did=did:plc:firstfirstfirstfirstfirs"]),
        ("_atproto.twice.test", ["did=did:plc:secondsecondsecondsecond"]),
        ("_atproto.split.test", ["did=did:plc:", "splitsplitsplitsplitspl"]),
        ("_atproto.mixed.test", ["v=spf1 -all"]),
        ("_atproto.mixed.test", ["did=" + MixedDid]),
        ("_atproto.spf.test", ["v=spf1 -all"]),
        ("_atproto.junk.test", ["did=not a did"]),
        ("_atproto.both.localhost", ["did=" + BothDnsDid]),
        ("_atproto.ambiguous.localhost", ["did=did:plc:ambiguousambiguousambigu"]),
        ("_atproto.ambiguous.localhost", ["did=did:plc:otherotherotherotherothe"]),
    ];

    private ChildProcess? _process;

    public IPEndPoint Endpoint { get; private set; } = null!;

    public DnsTxtClient Client(TimeSpan? timeout = null) => new(Endpoint, timeout ?? TimeSpan.FromSeconds(2));

    public async Task InitializeAsync()
    {
        var dnsmasq = RepoPaths.FindExecutable("dnsmasq", "/usr/sbin", "/sbin")
            ?? throw new InvalidOperationException("dnsmasq is not installed: run scripts/install-test-deps.sh");
        Exception? last = null;
        // A free port can be taken between probing and binding; try a few.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreeUdpPort();
            var process = new ChildProcess(dnsmasq, Arguments(port), RepoPaths.Root);
            Endpoint = new IPEndPoint(IPAddress.Loopback, port);
            try
            {
                await WaitAnsweringAsync(process);
                _process = process;
                return;
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException)
            {
                last = e;
                process.Dispose();
            }
        }
        throw new InvalidOperationException("dnsmasq did not start", last);
    }

    public Task DisposeAsync()
    {
        _process?.Dispose();
        return Task.CompletedTask;
    }

    private static List<string> Arguments(int port)
    {
        var args = new List<string>
        {
            "--no-daemon", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
            "--listen-address=127.0.0.1", "--bind-interfaces", $"--port={port}", "--pid-file",
            "--log-facility=-", "--local=/test/", "--local=/localhost/",
        };
        // --txt-record=NAME,STRING[,STRING...]: commas separate the character-strings of one record.
        args.AddRange(Records.Select(r => $"--txt-record={r.Name},{string.Join(',', r.Strings)}"));
        return args;
    }

    private async Task WaitAnsweringAsync(ChildProcess process)
    {
        var client = new DnsTxtClient(Endpoint, TimeSpan.FromMilliseconds(200), retries: 0);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("dnsmasq exited:\n" + process.Output);
            }
            try
            {
                await client.QueryTxtAsync("_atproto.alice.test", CancellationToken.None);
                return;
            }
            catch (Exception e) when (e is TimeoutException or SocketException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
