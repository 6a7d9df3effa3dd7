using Pds.Azure.Storage;

namespace Pds.Azure.Adapters.Keys;

/// <summary>
/// Whose key a row holds: an account (by DID), a reservation made before the DID exists, a
/// named service key (the PLC rotation key), or wrap mode's check value. <see cref="RowKey"/> is unique per owner and kind,
/// so it doubles as the context wrapped keys are bound to.
/// </summary>
internal readonly record struct KeyOwner
{
    /// <summary>
    /// Azure caps a key at 1 KiB; ids are capped well below so the kind prefix and %XX escapes
    /// always fit. Real DIDs and reservation ids are far shorter.
    /// </summary>
    public const int MaxIdLength = 256;

    private KeyOwner(string rowKey) => RowKey = rowKey;

    public string RowKey { get; }

    public static KeyOwner Account(string did) => new("account:" + Encode(did, nameof(did)));

    public static KeyOwner Reservation(string reservationId) => new("reservation:" + Encode(reservationId, nameof(reservationId)));

    public static KeyOwner Named(string name) => new("named:" + Encode(name, nameof(name)));

    /// <summary>The row holding wrap mode's check value (see <see cref="WrappedKeyStore.VerifyWrappingKeyAsync"/>).</summary>
    public static KeyOwner WrappingCheck { get; } = new("check:wrapping-key");

    public override string ToString() => RowKey;

    private static string Encode(string id, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(id, paramName);
        if (id.Length > MaxIdLength)
        {
            throw new ArgumentException($"id is {id.Length} characters; at most {MaxIdLength} are supported", paramName);
        }
        return TableKey.Encode(id);
    }
}
