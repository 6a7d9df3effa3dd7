namespace Pds.Net;

public sealed class DidResolverOptions
{
    /// <summary>How long a resolved document is served from memory.</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Bound on cached documents; past it, expired and then arbitrary entries are dropped.</summary>
    public int MaxCacheEntries { get; set; } = 10_000;

    /// <summary>Per-request time limit for did:web fetches (did:plc uses the directory client's).</summary>
    public TimeSpan WebTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Local development only: fetch <c>did:web:localhost%3A{port}</c> over plain http. did:web
    /// allows a port only for localhost, so this never opens http to another host.
    /// </summary>
    public bool AllowHttpForLocalhost { get; set; }
}
