using System.Globalization;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Core;

namespace Pds.Azure.Storage;

/// <summary>
/// Block blobs in one container over the Blob REST API: create-container, put (optionally
/// create-only, with metadata), get (whole or a range, streamed), properties, delete, list by
/// prefix, blob leases (a mutex for the sequencer), staged blocks (BlobClient.Blocks.cs) and
/// server-side copies (BlobClient.Copy.cs).
/// </summary>
public sealed partial class BlobClient
{
    /// <summary>The single-request Put Blob limit (5000 MiB); larger blobs need staged blocks (<see cref="StageBlockAsync"/>).</summary>
    public const long MaxSingleUploadBytes = 5000L * 1024 * 1024;

    private readonly StoragePipeline _pipeline;

    public BlobClient(StorageConnection connection, string containerName, StorageClientOptions? options = null)
    {
        ContainerName = StorageNames.Container(containerName);
        _pipeline = StoragePipeline.ForBlob(connection, options);
    }

    public string ContainerName { get; }

    /// <summary>Round trips this client made, retries included.</summary>
    public StorageRequestCounter Requests => _pipeline.Counter;

    /// <summary>Creates the container; false when it already existed.</summary>
    public async Task<bool> CreateContainerIfNotExistsAsync(CancellationToken ct = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Put, ContainerName + "?restype=container");
        var response = await _pipeline.SendAsync(message, ct, 201, 409).ConfigureAwait(false);
        return response.Status == 201;
    }

    /// <summary>
    /// Puts a block blob in one request. With a known <paramref name="length"/> (or a seekable
    /// stream) the body is streamed, not buffered; a non-seekable stream of unknown length is
    /// buffered first. <paramref name="createOnly"/> sends <c>If-None-Match: *</c>, so an
    /// existing blob raises <see cref="StorageConflictException"/> (BlobAlreadyExists).
    /// <paramref name="metadata"/> names must be C# identifiers, values printable ASCII.
    /// </summary>
    public async Task<BlobUploadResult> UploadAsync(
        string name, Stream content, long? length = null, string contentType = "application/octet-stream",
        bool createOnly = false, IReadOnlyDictionary<string, string>? metadata = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        MemoryStream? buffered = null;
        try
        {
            if (length is null && !content.CanSeek)
            {
                buffered = new MemoryStream();
                await content.CopyToAsync(buffered, ct).ConfigureAwait(false);
                buffered.Position = 0;
                content = buffered;
            }
            var n = length ?? content.Length - content.Position;
            if (n > MaxSingleUploadBytes)
            {
                throw new NotSupportedException($"blob of {n} bytes exceeds the single-request limit of {MaxSingleUploadBytes}");
            }
            return await PutBlobAsync(name, new StreamRequestContent(content, n), contentType, createOnly, metadata, ct).ConfigureAwait(false);
        }
        finally
        {
            buffered?.Dispose();
        }
    }

    /// <summary>Puts a block blob from memory (sent as is, not copied; a retry resends the same bytes).</summary>
    public Task<BlobUploadResult> UploadAsync(
        string name, ReadOnlyMemory<byte> content, string contentType = "application/octet-stream",
        bool createOnly = false, IReadOnlyDictionary<string, string>? metadata = null, CancellationToken ct = default) =>
        PutBlobAsync(name, RequestContent.Create(content), contentType, createOnly, metadata, ct);

    /// <summary>
    /// Streams a blob or a range of it; null when the blob does not exist. With
    /// <paramref name="ifMatch"/> (an ETag) a blob that changed since raises
    /// <see cref="StorageConcurrencyException"/>, so pieces of two versions are never mixed.
    /// </summary>
    public async Task<BlobDownload?> DownloadAsync(string name, BlobRange? range = null, string? ifMatch = null, CancellationToken ct = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Get, BlobPath(name));
        if (ifMatch is not null)
        {
            message.Request.Headers.SetValue("If-Match", ifMatch);
        }
        if (range is { } r)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(r.Offset, nameof(range));
            if (r.Length is <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(range), "a range length must be positive");
            }
            message.Request.Headers.SetValue("x-ms-range", r.ToHeader());
        }
        message.BufferResponse = false;
        var response = await _pipeline.SendAsync(message, ct, 200, 206, 404).ConfigureAwait(false);
        if (response.Status == 404)
        {
            return null;
        }
        var length = response.Headers.ContentLengthLong ?? throw new FormatException("blob download without Content-Length");
        var total = length;
        if (response.Headers.TryGetValue("Content-Range", out var contentRange))
        {
            // "bytes 0-1023/16384"
            var slash = contentRange.LastIndexOf('/');
            if (slash > 0 && long.TryParse(contentRange.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                total = t;
            }
        }
        var stream = message.ExtractResponseContent() ?? Stream.Null;
        return new BlobDownload(stream, length, total, response.Headers.ContentType, ETagOf(response), LastModifiedOf(response));
    }

    /// <summary>HEAD: the blob's properties, or null when it does not exist.</summary>
    public async Task<BlobProperties?> GetPropertiesAsync(string name, CancellationToken ct = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Head, BlobPath(name));
        var response = await _pipeline.SendAsync(message, ct, 200, 404).ConfigureAwait(false);
        if (response.Status == 404)
        {
            return null;
        }
        response.Headers.TryGetValue("x-ms-lease-state", out var leaseState);
        response.Headers.TryGetValue("x-ms-lease-status", out var leaseStatus);
        return new BlobProperties(
            response.Headers.ContentLengthLong ?? 0, response.Headers.ContentType, ETagOf(response), LastModifiedOf(response),
            leaseState, leaseStatus, BlobMetadata.Read(response), CopyStateOf(response));
    }

    /// <summary>
    /// Deletes a blob; false when it did not exist. With <paramref name="ifMatch"/> a blob whose
    /// ETag changed raises <see cref="StorageConcurrencyException"/> instead.
    /// </summary>
    public async Task<bool> DeleteAsync(string name, string? ifMatch = null, CancellationToken ct = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Delete, BlobPath(name));
        if (ifMatch is not null)
        {
            message.Request.Headers.SetValue("If-Match", ifMatch);
        }
        var response = await _pipeline.SendAsync(message, ct, 202, 404).ConfigureAwait(false);
        return response.Status == 202;
    }

    /// <summary>
    /// One page of blobs whose names start with <paramref name="prefix"/>, in name order.
    /// <paramref name="includeUncommitted"/> also lists names that only have staged blocks.
    /// </summary>
    public async Task<BlobPage> ListPageAsync(
        string? prefix = null, string? marker = null, int? maxResults = null, bool includeUncommitted = false, CancellationToken ct = default)
    {
        var query = "?restype=container&comp=list";
        if (includeUncommitted)
        {
            query += "&include=uncommittedblobs";
        }
        if (!string.IsNullOrEmpty(prefix))
        {
            query += "&prefix=" + StorageUrl.Escape(prefix);
        }
        if (!string.IsNullOrEmpty(marker))
        {
            query += "&marker=" + StorageUrl.Escape(marker);
        }
        if (maxResults is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, 1, nameof(maxResults));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(max, 5000, nameof(maxResults));
            query += "&maxresults=" + max.ToString(CultureInfo.InvariantCulture);
        }
        using var message = _pipeline.CreateMessage(RequestMethod.Get, ContainerName + query);
        var response = await _pipeline.SendAsync(message, ct, 200).ConfigureAwait(false);
        return BlobListXml.Parse(response.Content.ToStream());
    }

    /// <summary>Every blob under the prefix, following NextMarker.</summary>
    public async IAsyncEnumerable<BlobItem> ListAsync(
        string? prefix = null, bool includeUncommitted = false, [EnumeratorCancellation] CancellationToken ct = default)
    {
        string? marker = null;
        do
        {
            var page = await ListPageAsync(prefix, marker, null, includeUncommitted, ct).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                yield return item;
            }
            marker = page.NextMarker;
        }
        while (marker is not null);
    }

    /// <summary>
    /// Acquires a lease: <paramref name="duration"/> 15-60 s, or null for an infinite lease.
    /// A lease held by someone else raises <see cref="StorageConflictException"/> (LeaseAlreadyPresent).
    /// Returns the lease id.
    /// </summary>
    public async Task<string> AcquireLeaseAsync(string name, TimeSpan? duration = null, string? proposedLeaseId = null, CancellationToken ct = default)
    {
        var seconds = -1;
        if (duration is { } d)
        {
            seconds = (int)d.TotalSeconds;
            if (seconds is < 15 or > 60)
            {
                throw new ArgumentOutOfRangeException(nameof(duration), "a lease lasts 15 to 60 seconds, or is infinite (null)");
            }
        }
        using var message = LeaseMessage(name, "acquire", leaseId: null);
        message.Request.Headers.SetValue("x-ms-lease-duration", seconds.ToString(CultureInfo.InvariantCulture));
        message.Request.Headers.SetValue("x-ms-proposed-lease-id", proposedLeaseId ?? Guid.NewGuid().ToString("D"));
        var response = await _pipeline.SendAsync(message, ct, 201).ConfigureAwait(false);
        return response.Headers.TryGetValue("x-ms-lease-id", out var id) ? id : throw new FormatException("lease acquired without x-ms-lease-id");
    }

    /// <summary>Renews a lease this caller holds (a different or expired-and-taken lease raises 409).</summary>
    public async Task RenewLeaseAsync(string name, string leaseId, CancellationToken ct = default)
    {
        using var message = LeaseMessage(name, "renew", leaseId);
        await _pipeline.SendAsync(message, ct, 200).ConfigureAwait(false);
    }

    public async Task ReleaseLeaseAsync(string name, string leaseId, CancellationToken ct = default)
    {
        using var message = LeaseMessage(name, "release", leaseId);
        await _pipeline.SendAsync(message, ct, 200).ConfigureAwait(false);
    }

    private HttpMessage LeaseMessage(string name, string action, string? leaseId)
    {
        var message = _pipeline.CreateMessage(RequestMethod.Put, BlobPath(name) + "?comp=lease");
        message.Request.Headers.SetValue("x-ms-lease-action", action);
        if (leaseId is not null)
        {
            message.Request.Headers.SetValue("x-ms-lease-id", leaseId);
        }
        return message;
    }

    private async Task<BlobUploadResult> PutBlobAsync(
        string name, RequestContent content, string contentType, bool createOnly,
        IReadOnlyDictionary<string, string>? metadata, CancellationToken ct)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Put, BlobPath(name));
        message.Request.Headers.SetValue("x-ms-blob-type", "BlockBlob");
        message.Request.Headers.SetValue("Content-Type", contentType);
        return await SendBlobWriteAsync(message, content, createOnly, metadata, ct).ConfigureAwait(false);
    }

    /// <summary>The common tail of Put Blob and Put Block List: create-only, metadata, the body, 201.</summary>
    private async Task<BlobUploadResult> SendBlobWriteAsync(
        HttpMessage message, RequestContent content, bool createOnly,
        IReadOnlyDictionary<string, string>? metadata, CancellationToken ct)
    {
        var headers = message.Request.Headers;
        if (createOnly)
        {
            headers.SetValue("If-None-Match", "*");
        }
        BlobMetadata.Apply(headers, metadata);
        message.Request.Content = content;
        var response = await _pipeline.SendAsync(message, ct, 201).ConfigureAwait(false);
        return new BlobUploadResult(ETagOf(response), LastModifiedOf(response));
    }

    private string BlobPath(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > 1024 || name.Split('/').Any(s => s is "." or ".."))
        {
            throw new ArgumentException("a blob name has at most 1024 characters and no '.' or '..' segments (URLs would fold them)", nameof(name));
        }
        return ContainerName + "/" + StorageUrl.EscapeBlobName(name);
    }

    private static string? ETagOf(Response response) => response.Headers.TryGetValue("ETag", out var etag) ? etag : null;

    private static DateTimeOffset? LastModifiedOf(Response response) =>
        response.Headers.TryGetValue("Last-Modified", out var value)
        && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
