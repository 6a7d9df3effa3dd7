using Pds.Core.Syntax;

namespace Pds.Core.Identity;

/// <summary>Resolves a handle to the DID it claims, by DNS TXT or HTTPS well-known.</summary>
public interface IHandleResolver
{
    /// <summary>
    /// The DID, or null when neither method gives exactly one. A handle is only verified when the
    /// DID's document names it back; that check is the caller's.
    /// </summary>
    Task<Did?> ResolveAsync(Handle handle, CancellationToken cancellationToken);
}
