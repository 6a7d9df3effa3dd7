using System.Net;

namespace Pds.Net;

/// <summary>The nameservers of a resolv.conf(5) file.</summary>
public static class ResolvConf
{
    public const string DefaultPath = "/etc/resolv.conf";

    /// <summary>The <c>nameserver</c> addresses in file order; malformed lines are skipped.</summary>
    public static IReadOnlyList<IPAddress> ParseNameservers(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var servers = new List<IPAddress>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }
            var parts = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            // An IPv6 address may carry a zone (fe80::1%eth0), which IPAddress.TryParse understands.
            if (parts.Length >= 2 && parts[0] == "nameserver" && IPAddress.TryParse(parts[1], out var address))
            {
                servers.Add(address);
            }
        }
        return servers;
    }

    /// <summary>The first nameserver of <paramref name="path"/>, or null when it has none or cannot be read.</summary>
    public static IPAddress? FirstNameserver(string path = DefaultPath)
    {
        try
        {
            return ParseNameservers(File.ReadAllText(path)).FirstOrDefault();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
