using Pds.Core.Crypto;

namespace Pds.Core.Storage;

/// <summary>
/// Account signing keys. Implementations keep private keys encrypted at rest (local) or never
/// hold them at all (Key Vault sign mode); callers only ever get an <see cref="ISigner"/>.
/// </summary>
public interface IKeyStore
{
    /// <summary>Creates (or returns the reserved) signing key for a new account.</summary>
    Task<ISigner> CreateAsync(string did, CancellationToken ct = default);

    Task<ISigner?> GetAsync(string did, CancellationToken ct = default);

    /// <summary>Reserves a key before the DID exists (com.atproto.server.reserveSigningKey); keyed by did or a placeholder.</summary>
    Task<PublicKey> ReserveAsync(string reservationId, CancellationToken ct = default);

    /// <summary>Binds a reserved key to <paramref name="did"/>; false when nothing was reserved.</summary>
    Task<bool> ClaimReservedAsync(string reservationId, string did, CancellationToken ct = default);

    Task DeleteAsync(string did, CancellationToken ct = default);
}
