namespace Pds.Core.Identity;

/// <summary>The one exception for malformed or invalid did:plc operations and operation logs.</summary>
public sealed class PlcFormatException(string message, Exception? inner = null) : FormatException(message, inner);
