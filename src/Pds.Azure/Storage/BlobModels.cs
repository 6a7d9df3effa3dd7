namespace Pds.Azure.Storage;

/// <summary>Bytes [Offset, Offset + Length) of a blob; a null length reads to the end.</summary>
public readonly record struct BlobRange(long Offset, long? Length = null)
{
    internal string ToHeader() => Length is { } n
        ? $"bytes={Offset}-{Offset + n - 1}"
        : $"bytes={Offset}-";
}

public sealed record BlobUploadResult(string? ETag, DateTimeOffset? LastModified);

public sealed record BlobProperties(
    long ContentLength, string? ContentType, string? ETag, DateTimeOffset? LastModified,
    string? LeaseState, string? LeaseStatus);

public sealed record BlobItem(string Name, long ContentLength, string? ContentType, string? ETag, DateTimeOffset? LastModified);

/// <summary>One page of a listing; pass <see cref="NextMarker"/> back while it is not null.</summary>
public sealed record BlobPage(IReadOnlyList<BlobItem> Items, string? NextMarker);

/// <summary>
/// A blob (or a range of it) being read. <see cref="Content"/> streams from the connection:
/// dispose the download when done.
/// </summary>
public sealed class BlobDownload(Stream content, long contentLength, long totalLength, string? contentType, string? etag, DateTimeOffset? lastModified)
    : IDisposable, IAsyncDisposable
{
    public Stream Content { get; } = content;

    /// <summary>Bytes in <see cref="Content"/> (the range's length for a range read).</summary>
    public long ContentLength { get; } = contentLength;

    /// <summary>The whole blob's length (from Content-Range for a range read).</summary>
    public long TotalLength { get; } = totalLength;

    public string? ContentType { get; } = contentType;
    public string? ETag { get; } = etag;
    public DateTimeOffset? LastModified { get; } = lastModified;

    public void Dispose() => Content.Dispose();

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
