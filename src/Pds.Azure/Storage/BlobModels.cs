namespace Pds.Azure.Storage;

/// <summary>Bytes [Offset, Offset + Length) of a blob; a null length reads to the end.</summary>
public readonly record struct BlobRange(long Offset, long? Length = null)
{
    internal string ToHeader() => Length is { } n
        ? $"bytes={Offset}-{Offset + n - 1}"
        : $"bytes={Offset}-";
}

public sealed record BlobUploadResult(string? ETag, DateTimeOffset? LastModified);

/// <param name="Metadata">The blob's <c>x-ms-meta-*</c> pairs (names compared case-insensitively, as the service does).</param>
/// <param name="Copy">The last copy that targeted this blob, or null when it was never a copy destination.</param>
public sealed record BlobProperties(
    long ContentLength, string? ContentType, string? ETag, DateTimeOffset? LastModified,
    string? LeaseState, string? LeaseStatus, IReadOnlyDictionary<string, string> Metadata, BlobCopyState? Copy);

/// <summary>
/// <c>x-ms-copy-*</c> of a copy destination. <see cref="Status"/> is one of
/// <see cref="BlobCopyStatus"/>'s values; a pending copy is still running on the service.
/// </summary>
public sealed record BlobCopyState(string? Id, string Status, string? StatusDescription);

/// <summary>The values of <c>x-ms-copy-status</c>.</summary>
public static class BlobCopyStatus
{
    public const string Pending = "pending";
    public const string Success = "success";
    public const string Aborted = "aborted";
    public const string Failed = "failed";
}

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
