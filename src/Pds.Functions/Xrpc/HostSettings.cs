namespace Pds.Functions.Xrpc;

/// <summary>The few settings the XRPC edge itself needs (the rest lives in the services).</summary>
public sealed record HostSettings(string AdminPassword);
