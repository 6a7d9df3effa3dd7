using System.Buffers;
using System.Security.Cryptography;
using Azure;
using Pds.Azure.Storage;
using Pds.Core.Ipld;
using Pds.Core.Storage;

namespace Pds.Azure.Adapters.Blobs;

/// <summary>
/// Streams one upload to a temp blob while hashing and counting it.
/// <para>
/// Bounded memory: the body is read into one 4 MiB buffer at a time. An upload that ends
/// within the first buffer goes out as a single Put Blob (one request, the common case for
/// images); a longer one is sent block by block with Put Block and made visible at once by Put
/// Block List. So a 100 MB upload holds 4 MiB of memory, never the whole body, and a reader
/// never sees a partial blob. 4 MiB keeps a 100 MB upload at 25 blocks (the service allows
/// 50,000) and each request short enough to retry cheaply.
/// </para>
/// <para>
/// A failure (too large, cancelled, storage error) after the first request discards what was
/// sent: an empty Put Block List drops the staged blocks, then Delete Blob removes the empty
/// blob. (Azure's Delete Blob alone drops staged blocks too, but Azurite keeps them under the
/// name, committable later; the extra request is paid only on failure.)
/// </para>
/// </summary>
internal static class TempBlobUpload
{
    public const int BlockSize = 4 * 1024 * 1024;

    /// <summary>Metadata on every temp blob (copied to the permanent one): the raw CID of its bytes.</summary>
    public const string CidMetadata = "cid";

    private static readonly TimeSpan DiscardTimeout = TimeSpan.FromSeconds(30);

    public static async Task<TempBlob> RunAsync(BlobClient blobs, Stream content, long maxBytes, CancellationToken ct)
    {
        var key = AzureBlobNames.NewTempKey();
        var name = AzureBlobNames.Temp(key);
        using var digest = new UploadDigest(maxBytes);
        var blockIds = new List<string>();
        var sent = false;
        var reusable = true;
        var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            while (true)
            {
                var filled = 0;
                int read;
                while (filled < BlockSize && (read = await content.ReadAsync(buffer.AsMemory(filled, BlockSize - filled), ct).ConfigureAwait(false)) > 0)
                {
                    digest.Append(buffer.AsSpan(filled, read));
                    filled += read;
                }
                if (filled == BlockSize)
                {
                    var id = BlobBlockId.FromIndex(blockIds.Count);
                    sent = true;
                    await blobs.StageBlockAsync(name, id, buffer.AsMemory(0, filled), ct).ConfigureAwait(false);
                    blockIds.Add(id);
                    continue;
                }

                var temp = digest.Complete(key);
                var metadata = new Dictionary<string, string> { [CidMetadata] = temp.Cid.ToString() };
                sent = true;
                if (blockIds.Count == 0)
                {
                    await blobs.UploadAsync(name, buffer.AsMemory(0, filled), metadata: metadata, ct: ct).ConfigureAwait(false);
                }
                else
                {
                    if (filled > 0)
                    {
                        var id = BlobBlockId.FromIndex(blockIds.Count);
                        await blobs.StageBlockAsync(name, id, buffer.AsMemory(0, filled), ct).ConfigureAwait(false);
                        blockIds.Add(id);
                    }
                    await blobs.CommitBlockListAsync(name, blockIds, metadata: metadata, ct: ct).ConfigureAwait(false);
                }
                return temp;
            }
        }
        catch when (sent)
        {
            // A failed or cancelled send might still be reading the buffer: leave it to the GC.
            reusable = false;
            await DiscardAsync(blobs, name).ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (reusable)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static async Task DiscardAsync(BlobClient blobs, string name)
    {
        // The caller's token may be the reason we are here: cleanup gets its own time budget.
        using var timeout = new CancellationTokenSource(DiscardTimeout);
        try
        {
            await blobs.CommitBlockListAsync(name, [], ct: timeout.Token).ConfigureAwait(false);
            await blobs.DeleteAsync(name, ct: timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StorageRequestException or RequestFailedException or IOException or OperationCanceledException or HttpRequestException)
        {
            // Best effort, and the caller must see the original failure. Azure drops staged
            // blocks a week after the last Put Block anyway; an empty tmp/ blob costs only a name.
        }
    }
}
