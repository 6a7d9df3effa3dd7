namespace Pds.Net;

public sealed class HandleResolverOptions
{
    /// <summary>Time limit for the whole HTTPS well-known lookup.</summary>
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Local development only: look up handles under the reserved <c>.localhost</c> TLD over plain
    /// http (such names are loopback by RFC 6761). Every other handle is always https.
    /// </summary>
    public bool AllowHttpForLocalhost { get; set; }
}
