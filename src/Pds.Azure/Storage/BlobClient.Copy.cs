using Azure.Core;

namespace Pds.Azure.Storage;

/// <summary>
/// Copy Blob within this container: the service copies the bytes, nothing passes through the
/// app. Within one account the destination request's own authorization (Shared Key or an Entra
/// token) covers reading the source, so the source URL carries no SAS.
/// </summary>
public sealed partial class BlobClient
{
    private static readonly TimeSpan FirstCopyPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxCopyPoll = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Starts copying <paramref name="sourceName"/> to <paramref name="name"/> (metadata and
    /// content type come along). Azure may answer <see cref="BlobCopyStatus.Pending"/>: then
    /// <see cref="WaitForCopyAsync"/> until it is done. <paramref name="createOnly"/> refuses an
    /// existing destination (409 or 412); <paramref name="sourceIfMatch"/> copies only that
    /// version of the source (412 otherwise). A missing source raises a 404.
    /// </summary>
    public async Task<BlobCopyState> StartCopyAsync(
        string name, string sourceName, bool createOnly = false, string? sourceIfMatch = null, CancellationToken ct = default)
    {
        var source = StorageUrl.Combine(_pipeline.Endpoint, BlobPath(sourceName));
        using var message = _pipeline.CreateMessage(RequestMethod.Put, BlobPath(name));
        var headers = message.Request.Headers;
        headers.SetValue("x-ms-copy-source", source.AbsoluteUri);
        if (createOnly)
        {
            headers.SetValue("If-None-Match", "*");
        }
        if (sourceIfMatch is not null)
        {
            headers.SetValue("x-ms-source-if-match", sourceIfMatch);
        }
        var response = await _pipeline.SendAsync(message, ct, 202).ConfigureAwait(false);
        return CopyStateOf(response) ?? throw new FormatException("copy started without x-ms-copy-status");
    }

    /// <summary>
    /// Polls the destination's properties (100 ms, doubling to 2 s) until its copy is no longer
    /// pending, and returns them; the caller checks <see cref="BlobProperties.Copy"/> for success.
    /// A blob that was never a copy destination is returned at once. Raises
    /// <see cref="StorageNotFoundException"/> when the blob is gone and <see cref="TimeoutException"/>
    /// after <paramref name="timeout"/> (the copy itself goes on).
    /// </summary>
    public async Task<BlobProperties> WaitForCopyAsync(string name, TimeSpan timeout, CancellationToken ct = default)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        var delay = FirstCopyPoll;
        while (true)
        {
            var properties = await GetPropertiesAsync(name, ct).ConfigureAwait(false)
                ?? throw StorageErrors.Create(404, "BlobNotFound", $"copy destination {name} no longer exists");
            if (properties.Copy?.Status != BlobCopyStatus.Pending)
            {
                return properties;
            }
            if (DateTimeOffset.UtcNow + delay > deadline)
            {
                throw new TimeoutException($"the copy to {name} was still pending after {timeout}");
            }
            await Task.Delay(delay, ct).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxCopyPoll.Ticks));
        }
    }

    private static BlobCopyState? CopyStateOf(global::Azure.Response response)
    {
        if (!response.Headers.TryGetValue("x-ms-copy-status", out var status) || string.IsNullOrEmpty(status))
        {
            return null;
        }
        response.Headers.TryGetValue("x-ms-copy-id", out var id);
        response.Headers.TryGetValue("x-ms-copy-status-description", out var description);
        return new BlobCopyState(id, status, string.IsNullOrEmpty(description) ? null : description);
    }
}
