namespace Pds.Core.Identity;

/// <summary>The one exception for DNS messages that are malformed or do not answer the query sent.</summary>
public sealed class DnsFormatException(string message) : FormatException(message);
