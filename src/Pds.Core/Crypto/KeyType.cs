namespace Pds.Core.Crypto;

/// <summary>The two curves atproto supports. k256 is the default for new repo signing keys.</summary>
public enum KeyType
{
    Secp256k1,
    P256,
}
