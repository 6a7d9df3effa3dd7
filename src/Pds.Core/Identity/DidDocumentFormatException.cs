namespace Pds.Core.Identity;

/// <summary>The one exception for DID documents that are not JSON, too large, or lack the required shape.</summary>
public sealed class DidDocumentFormatException(string message, Exception? inner = null) : FormatException(message, inner);
