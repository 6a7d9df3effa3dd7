namespace Pds.Functions.Hosting;

/// <summary>
/// What this process does (PDS_ROLES): serve the XRPC API, sequence the firehose, and serve
/// subscribeRepos as the relay. One process runs all three by default; under the Functions host
/// the relay cannot run (no WebSockets) and the sequencer runs per queue invocation.
/// </summary>
[Flags]
public enum PdsRoles
{
    None = 0,
    Api = 1,
    Sequencer = 2,
    Relay = 4,
    All = Api | Sequencer | Relay,
}

public static class PdsRolesParser
{
    public static PdsRoles Parse(string? value, PdsRoles fallback)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }
        var roles = PdsRoles.None;
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            roles |= part.ToLowerInvariant() switch
            {
                "api" => PdsRoles.Api,
                "sequencer" => PdsRoles.Sequencer,
                "relay" => PdsRoles.Relay,
                _ => throw new ConfigException($"PDS_ROLES: unknown role '{part}' (expected api, sequencer, relay)"),
            };
        }
        return roles;
    }
}
