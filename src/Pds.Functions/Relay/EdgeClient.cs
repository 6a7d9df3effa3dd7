using System.Net;
using System.Net.Sockets;

namespace Pds.Functions.Relay;

/// <summary>
/// Who the relay is talking to, as it reports to the api process in X-Forwarded-For/-Proto.
/// The relay is the public edge, so a client's own X-Forwarded-* headers are not believed; only
/// when the peer is on a private or loopback network (a platform ingress such as Container Apps'
/// Envoy in front of the relay) is the address that ingress appended, the last one, taken instead.
/// </summary>
internal static class EdgeClient
{
    public static (string? Address, string Scheme) Describe(HttpContext http)
    {
        var peer = http.Connection.RemoteIpAddress;
        var scheme = http.Request.Scheme;
        if (peer is null || !IsInternal(peer))
        {
            return (peer?.ToString(), scheme);
        }
        var address = peer;
        var forwardedFor = http.Request.Headers["X-Forwarded-For"].ToString();
        var last = forwardedFor.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (last is not null && IPAddress.TryParse(last, out var reported))
        {
            address = reported;
        }
        var proto = http.Request.Headers["X-Forwarded-Proto"].ToString().Split(',')[^1].Trim().ToLowerInvariant();
        return (address.ToString(), proto is "http" or "https" ? proto : scheme);
    }

    /// <summary>Loopback, RFC 1918, carrier-grade NAT, link-local, and IPv6 unique-local addresses.</summary>
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address))
        {
            return true;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var first = address.GetAddressBytes()[0];
            return (first & 0xFE) == 0xFC || address.IsIPv6LinkLocal;
        }
        var b = address.GetAddressBytes();
        return b[0] == 10
            || (b[0] == 172 && (b[1] & 0xF0) == 16)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 100 && (b[1] & 0xC0) == 64)
            || (b[0] == 169 && b[1] == 254);
    }
}
