namespace Pds.Core.Ipld;

/// <summary>The one exception for malformed CID bytes or strings.</summary>
public sealed class CidFormatException(string message) : FormatException(message);
