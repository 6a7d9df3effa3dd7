using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Pds.Core.Identity;

namespace Pds.Net;

/// <summary>
/// TXT lookups over UDP to one recursive server. Each attempt uses a fresh socket (a new random
/// source port) and a new random id; datagrams that do not carry the id are ignored, so stray
/// or spoofed packets cost nothing but the wait. A timed-out attempt is retried
/// <see cref="Retries"/> times. No TCP fallback: a truncated answer is returned as such.
/// </summary>
public sealed class DnsTxtClient : IDnsTxtClient
{
    public const int DnsPort = 53;

    public DnsTxtClient(IPEndPoint server, TimeSpan? timeout = null, int retries = 1)
    {
        Server = server ?? throw new ArgumentNullException(nameof(server));
        Timeout = timeout ?? TimeSpan.FromSeconds(2);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(timeout));
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        Retries = retries;
    }

    public IPEndPoint Server { get; }
    public TimeSpan Timeout { get; }
    public int Retries { get; }

    /// <summary>A client of the first nameserver in /etc/resolv.conf.</summary>
    public static DnsTxtClient FromSystemConfiguration(TimeSpan? timeout = null, int retries = 1)
    {
        var server = ResolvConf.FirstNameserver()
            ?? throw new InvalidOperationException($"no nameserver in {ResolvConf.DefaultPath}");
        return new DnsTxtClient(new IPEndPoint(server, DnsPort), timeout, retries);
    }

    public async Task<DnsResponse> QueryTxtAsync(string name, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var query = DnsMessage.CreateTxtQuery(name);
            var response = await TryOnceAsync(query, cancellationToken).ConfigureAwait(false);
            if (response is not null)
            {
                return response;
            }
            if (attempt >= Retries)
            {
                throw new TimeoutException($"no DNS answer from {Server} for {query.Name} after {attempt + 1} attempts");
            }
        }
    }

    /// <summary>The response, or null when the attempt timed out.</summary>
    private async Task<DnsResponse?> TryOnceAsync(DnsQuery query, CancellationToken cancellationToken)
    {
        using var socket = new Socket(Server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        // Connected: the kernel drops datagrams from any other address or port.
        await socket.ConnectAsync(Server, cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var buffer = new byte[DnsMessage.MaxMessageLength];
        try
        {
            await socket.SendAsync(query.Bytes, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (received < 2 || BinaryPrimitives.ReadUInt16BigEndian(buffer) != query.Id)
                {
                    continue;
                }
                return DnsMessage.ParseResponse(buffer.AsSpan(0, received), query);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            // ICMP port unreachable on a connected UDP socket: nothing listens there. Retry like a loss.
            return null;
        }
    }
}
