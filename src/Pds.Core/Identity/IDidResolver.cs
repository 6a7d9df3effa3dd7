using Pds.Core.Syntax;

namespace Pds.Core.Identity;

/// <summary>Resolves a DID to its document (did:plc through a directory, did:web over HTTPS).</summary>
public interface IDidResolver
{
    /// <summary>
    /// The current document, or null when the DID does not exist or is deactivated. Throws
    /// <see cref="DidResolutionException"/> when it could not be resolved (network, bad document,
    /// unsupported method). <paramref name="forceRefresh"/> bypasses any cache, e.g. after the
    /// account announced an identity change.
    /// </summary>
    Task<DidDocument?> ResolveAsync(Did did, bool forceRefresh, CancellationToken cancellationToken);
}

/// <summary>A DID whose resolution failed, as opposed to one that does not exist.</summary>
public sealed class DidResolutionException(string message, Exception? inner = null) : Exception(message, inner);
