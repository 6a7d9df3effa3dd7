namespace Pds.Core.Cbor;

/// <summary>The one exception for bytes that are not canonical atproto DAG-CBOR.</summary>
public sealed class DagCborFormatException(string message, int offset)
    : FormatException($"{message} (at byte {offset})")
{
    public int Offset { get; } = offset;
}
