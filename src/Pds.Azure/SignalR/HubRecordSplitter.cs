namespace Pds.Azure.SignalR;

/// <summary>
/// Splits a text stream into JSON hub protocol records, each terminated by 0x1E. A WebSocket
/// message may hold several records and a record may span messages, so the unterminated tail is
/// kept for the next call. Records and the tail are bounded by <see cref="MaxRecordSize"/>.
/// </summary>
internal sealed class HubRecordSplitter(int maxRecordSize)
{
    public const byte RecordSeparator = 0x1E;

    private byte[] _tail = [];
    private int _tailLength;

    public int MaxRecordSize { get; } = maxRecordSize > 0
        ? maxRecordSize
        : throw new ArgumentOutOfRangeException(nameof(maxRecordSize));

    public int PendingBytes => _tailLength;

    /// <summary>Appends every record completed by <paramref name="data"/> (without its separator) to <paramref name="records"/>.</summary>
    public void Feed(ReadOnlySpan<byte> data, ICollection<byte[]> records)
    {
        while (true)
        {
            var end = data.IndexOf(RecordSeparator);
            if (end < 0)
            {
                AppendTail(data);
                return;
            }
            var length = _tailLength + end;
            if (length > MaxRecordSize)
            {
                throw TooLong();
            }
            var record = new byte[length];
            _tail.AsSpan(0, _tailLength).CopyTo(record);
            data[..end].CopyTo(record.AsSpan(_tailLength));
            _tailLength = 0;
            records.Add(record);
            data = data[(end + 1)..];
        }
    }

    private void AppendTail(ReadOnlySpan<byte> data)
    {
        var length = _tailLength + data.Length;
        if (length > MaxRecordSize)
        {
            throw TooLong();
        }
        if (length > _tail.Length)
        {
            Array.Resize(ref _tail, Math.Min(MaxRecordSize, Math.Max(length, 2 * _tail.Length)));
        }
        data.CopyTo(_tail.AsSpan(_tailLength));
        _tailLength = length;
    }

    private HubProtocolException TooLong() => new($"hub protocol record longer than {MaxRecordSize} bytes");
}
