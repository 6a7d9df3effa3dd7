using Pds.Core.Ipld;

namespace Pds.Core.Crypto;

/// <summary>String forms: did:key, Multikey, and the legacy bare-point multibase.</summary>
public sealed partial class PublicKey
{
    public const string DidKeyPrefix = "did:key:";
    private const char Base58BtcPrefix = 'z';
    private const int PrefixLength = 2;

    /// <summary>did:key:z + base58btc(multicodec prefix || compressed point).</summary>
    public static PublicKey FromDidKey(string didKey)
    {
        ArgumentNullException.ThrowIfNull(didKey);
        if (!didKey.StartsWith(DidKeyPrefix, StringComparison.Ordinal))
        {
            throw new CryptoFormatException("did:key must start with 'did:key:'");
        }
        return FromMultikey(didKey[DidKeyPrefix.Length..]);
    }

    /// <summary>The Multikey publicKeyMultibase of current atproto DID documents (a did:key without "did:key:").</summary>
    public static PublicKey FromMultikey(string multikey)
    {
        var bytes = DecodeBase58Btc(multikey);
        if (!KeyTypeExtensions.TryFromMulticodecPrefix(bytes, out var type))
        {
            throw new CryptoFormatException("multikey has no secp256k1-pub or p256-pub multicodec prefix");
        }
        return FromCompressed(type, bytes.AsSpan(PrefixLength));
    }

    /// <summary>
    /// The publicKeyMultibase of legacy verification methods: z + base58btc of the bare point,
    /// the curve coming from the method type. Old documents may hold the point uncompressed.
    /// </summary>
    public static PublicKey FromLegacyMultibase(KeyType type, string multibase)
    {
        var bytes = DecodeBase58Btc(multibase);
        return bytes.Length == UncompressedLength ? FromUncompressed(type, bytes) : FromCompressed(type, bytes);
    }

    public string ToDidKey() => DidKeyPrefix + ToMultikey();

    public string ToMultikey()
    {
        Span<byte> bytes = stackalloc byte[PrefixLength + CompressedLength];
        KeyType.MulticodecPrefix().CopyTo(bytes);
        _compressed.CopyTo(bytes[PrefixLength..]);
        return Base58BtcPrefix + Base58.Encode(bytes);
    }

    public string ToLegacyMultibase() => Base58BtcPrefix + Base58.Encode(_compressed);

    private static byte[] DecodeBase58Btc(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length < 2 || text[0] != Base58BtcPrefix)
        {
            throw new CryptoFormatException("key must be multibase base58btc ('z' prefix)");
        }
        if (!Base58.TryDecode(text.AsSpan(1), out var bytes))
        {
            throw new CryptoFormatException("key is not valid base58btc");
        }
        return bytes;
    }
}
