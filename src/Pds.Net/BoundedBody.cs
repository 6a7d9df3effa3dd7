namespace Pds.Net;

/// <summary>Reads HTTP bodies from servers we do not trust, never buffering more than a limit.</summary>
internal static class BoundedBody
{
    public static async Task<byte[]> ReadAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > maxBytes)
        {
            throw new InvalidDataException($"response body is larger than {maxBytes} bytes");
        }
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[Math.Min(maxBytes + 1, 16 * 1024)];
        var total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (total > maxBytes)
                {
                    throw new InvalidDataException($"response body is larger than {maxBytes} bytes");
                }
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, maxBytes + 1));
            }
            var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.AsSpan(0, total).ToArray();
            }
            total += read;
        }
    }
}
