namespace Pds.Core.Identity;

/// <summary>A service entry of a did:plc operation: <c>{type, endpoint}</c>, keyed by id without '#'.</summary>
public sealed record PlcService(string Type, string Endpoint)
{
    /// <summary>The atproto PDS entry, keyed <c>atproto_pds</c>.</summary>
    public static PlcService AtprotoPds(string endpoint) => new(PlcOperation.AtprotoPdsType, endpoint);
}
