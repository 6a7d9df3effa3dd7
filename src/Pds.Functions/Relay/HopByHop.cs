using Microsoft.Extensions.Primitives;

namespace Pds.Functions.Relay;

/// <summary>
/// Headers that describe one connection, not the message (RFC 9110 7.6.1), so a proxy must not
/// pass them on; plus whatever the message's own Connection header names.
/// </summary>
internal static class HopByHop
{
    private static readonly HashSet<string> Always = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade",
    };

    public static bool Is(string name) => Always.Contains(name);

    /// <summary>The header names a Connection header lists as connection-specific.</summary>
    public static HashSet<string> Listed(IEnumerable<string> connectionValues)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in connectionValues)
        {
            foreach (var token in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                names.Add(token);
            }
        }
        return names;
    }

    public static HashSet<string> Listed(StringValues connection) => Listed((IEnumerable<string>)connection!);
}
