namespace Pds.Core.Mst;

/// <summary>An MST node or tree that is malformed or not in canonical form.</summary>
public sealed class MstFormatException(string message) : FormatException(message);
