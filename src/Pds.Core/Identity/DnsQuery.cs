namespace Pds.Core.Identity;

/// <summary>
/// A DNS query as sent: its id (what a response must echo), the normalised question name
/// (lower case, no trailing dot), the record type, and the wire bytes.
/// </summary>
public sealed class DnsQuery
{
    internal DnsQuery(ushort id, string name, ushort type, byte[] bytes)
    {
        Id = id;
        Name = name;
        Type = type;
        _bytes = bytes;
    }

    private readonly byte[] _bytes;

    public ushort Id { get; }
    public string Name { get; }
    public ushort Type { get; }
    public ReadOnlyMemory<byte> Bytes => _bytes;
}
