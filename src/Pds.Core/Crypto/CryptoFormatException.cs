namespace Pds.Core.Crypto;

/// <summary>The one exception for malformed keys, did:key strings, points and signature lengths.</summary>
public sealed class CryptoFormatException(string message) : FormatException(message);
