namespace Pds.Azure.Adapters.Keys;

/// <summary>Settings of <see cref="WrappedKeyStore"/> (wrap mode).</summary>
public sealed record WrappedKeyStoreSettings
{
    /// <summary>
    /// The vault's RSA key that wraps every account key (key_ops wrapKey and unwrapKey; 3072 bits
    /// suggested). It must exist: the store never creates it, so a typo fails instead of silently
    /// starting a second key.
    /// </summary>
    public required string WrappingKeyName { get; init; }

    /// <summary>The version that wraps new keys; null = the latest at the store's first use. Old rows keep the version they were wrapped under.</summary>
    public string? WrappingKeyVersion { get; init; }
}
