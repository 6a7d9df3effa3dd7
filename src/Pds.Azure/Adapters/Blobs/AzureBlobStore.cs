using Pds.Azure.Storage;
using Pds.Core.Ipld;
using Pds.Core.Storage;

namespace Pds.Azure.Adapters.Blobs;

/// <summary>
/// <see cref="IBlobStore"/> on one Blob Storage container (create it with
/// <see cref="BlobClient.CreateContainerIfNotExistsAsync"/> before use). Uploads go to
/// <c>tmp/{key}</c> (see <see cref="TempBlobUpload"/> for how memory stays bounded) with their
/// CID as metadata; making one permanent is a server-side Copy Blob to <c>{did}/{cid}</c>
/// followed by deleting the temp blob, so the bytes never pass through the app again.
/// </summary>
public sealed class AzureBlobStore : IBlobStore
{
    // A same-account copy of a block blob is usually done when Copy Blob answers; Azure may
    // still answer "pending", and 100 MB copies in seconds, so a minute is generous.
    private static readonly TimeSpan CopyTimeout = TimeSpan.FromMinutes(1);

    // Two stale rounds (a failed copy to delete, a source that changed under us) are conceivable;
    // more means something else keeps interfering.
    private const int MaxCopyAttempts = 3;

    private const int DeleteParallelism = 8;

    private readonly BlobClient _blobs;

    public AzureBlobStore(BlobClient blobs)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        _blobs = blobs;
    }

    /// <exception cref="BlobTooLargeException">More than <paramref name="maxBytes"/>; nothing is left behind.</exception>
    public Task<TempBlob> PutTempAsync(Stream content, long maxBytes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        if (content.CanSeek && content.Length - content.Position > maxBytes)
        {
            throw new BlobTooLargeException(maxBytes);
        }
        return TempBlobUpload.RunAsync(_blobs, content, maxBytes, ct);
    }

    /// <summary>
    /// Copies the temp blob to (did, cid) unless that is already there, then deletes the temp
    /// blob. Safe to repeat after a crash at any point: a finished copy is recognised (and a
    /// failed one replaced), and a temp blob already deleted is fine when the target exists.
    /// </summary>
    /// <exception cref="ArgumentException">A malformed DID or temp key, or a temp blob whose bytes are not <paramref name="cid"/>.</exception>
    /// <exception cref="FileNotFoundException">Neither the temp blob nor the permanent one exists.</exception>
    public async Task MakePermanentAsync(string did, string tempKey, Cid cid, CancellationToken ct = default)
    {
        var target = AzureBlobNames.Permanent(did, cid);
        var temp = AzureBlobNames.Temp(tempKey);
        for (var attempt = 0; attempt < MaxCopyAttempts; attempt++)
        {
            var source = await _blobs.GetPropertiesAsync(temp, ct).ConfigureAwait(false);
            if (source is null)
            {
                if (await TargetCompleteAsync(target, ct).ConfigureAwait(false))
                {
                    return;
                }
                throw new FileNotFoundException($"temporary blob {tempKey} does not exist");
            }
            if (!source.Metadata.TryGetValue(TempBlobUpload.CidMetadata, out var stored) || stored != cid.ToString())
            {
                throw new ArgumentException($"temporary blob {tempKey} does not hold the bytes of {cid}", nameof(cid));
            }
            bool done;
            try
            {
                // Create-only: a finished permanent blob is never rewritten; x-ms-source-if-match:
                // what is copied is the version whose CID was just checked.
                var copy = await _blobs.StartCopyAsync(target, temp, createOnly: true, sourceIfMatch: source.ETag, ct).ConfigureAwait(false);
                done = copy.Status == BlobCopyStatus.Success || await TargetCompleteAsync(target, ct).ConfigureAwait(false);
            }
            catch (StorageRequestException e) when (e.Status is 404 or 409 or 412)
            {
                // The target exists (a retry, or a second upload of the same bytes), or the
                // source changed or went away since it was read: look at what is there.
                done = await TargetCompleteAsync(target, ct).ConfigureAwait(false);
            }
            if (done)
            {
                await _blobs.DeleteAsync(temp, ct: ct).ConfigureAwait(false);
                return;
            }
        }
        throw new IOException($"could not copy temporary blob {tempKey} to {target} in {MaxCopyAttempts} attempts");
    }

    /// <summary>A readable, seekable stream of the permanent blob, or null when there is none.</summary>
    public async Task<Stream?> OpenAsync(string did, Cid cid, CancellationToken ct = default)
    {
        var name = AzureBlobNames.Permanent(did, cid);
        var download = await _blobs.DownloadAsync(name, ct: ct).ConfigureAwait(false);
        return download is null ? null : new BlobReadStream(_blobs, name, download);
    }

    public async Task DeleteAsync(string did, Cid cid, CancellationToken ct = default) =>
        await _blobs.DeleteAsync(AzureBlobNames.Permanent(did, cid), ct: ct).ConfigureAwait(false);

    public async Task DeleteTempAsync(string tempKey, CancellationToken ct = default) =>
        await _blobs.DeleteAsync(AzureBlobNames.Temp(tempKey), ct: ct).ConfigureAwait(false);

    /// <summary>Deletes every permanent blob of the account (listing by its name prefix; a few deletes at a time).</summary>
    public async Task DeleteAllAsync(string did, CancellationToken ct = default)
    {
        var prefix = AzureBlobNames.AccountPrefix(did);
        var options = new ParallelOptions { MaxDegreeOfParallelism = DeleteParallelism, CancellationToken = ct };
        await Parallel.ForEachAsync(_blobs.ListAsync(prefix, ct: ct), options,
            async (blob, token) => await _blobs.DeleteAsync(blob.Name, ct: token).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>
    /// True when the permanent blob exists with its content in place: never a copy destination
    /// or a successful copy (a pending one is waited for). A failed or aborted copy is deleted
    /// (only that version, by ETag) so the next attempt can copy again.
    /// </summary>
    private async Task<bool> TargetCompleteAsync(string target, CancellationToken ct)
    {
        var properties = await _blobs.GetPropertiesAsync(target, ct).ConfigureAwait(false);
        if (properties is null)
        {
            return false;
        }
        if (properties.Copy?.Status == BlobCopyStatus.Pending)
        {
            properties = await _blobs.WaitForCopyAsync(target, CopyTimeout, ct).ConfigureAwait(false);
        }
        if (properties.Copy is null || properties.Copy.Status == BlobCopyStatus.Success)
        {
            return true;
        }
        try
        {
            await _blobs.DeleteAsync(target, properties.ETag, ct).ConfigureAwait(false);
        }
        catch (StorageConcurrencyException)
        {
            // Someone replaced it meanwhile; the next attempt looks again.
        }
        return false;
    }
}
