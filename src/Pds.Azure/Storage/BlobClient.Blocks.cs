using Azure.Core;

namespace Pds.Azure.Storage;

/// <summary>
/// Staged uploads: Put Block sends one piece under a block id, Put Block List makes the listed
/// blocks the blob's content in one step. A blob of any size (up to 50,000 blocks) is uploaded
/// with one block of memory at a time, and nothing is visible until the commit.
/// </summary>
public sealed partial class BlobClient
{
    /// <summary>
    /// Put Block: stages <paramref name="data"/> for <paramref name="name"/> (a new blob or an
    /// existing one; its content does not change until a commit). Staging the same id again
    /// replaces the staged block, so a retry is harmless.
    /// </summary>
    public async Task StageBlockAsync(string name, string blockId, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        BlobBlockId.Validate(blockId, nameof(blockId));
        // The service takes up to 4000 MiB per block; a ReadOnlyMemory never holds that much.
        if (data.IsEmpty)
        {
            throw new ArgumentOutOfRangeException(nameof(data), "a block holds at least one byte");
        }
        using var message = _pipeline.CreateMessage(
            RequestMethod.Put, BlobPath(name) + "?comp=block&blockid=" + StorageUrl.Escape(blockId));
        message.Request.Content = RequestContent.Create(data);
        await _pipeline.SendAsync(message, ct, 201).ConfigureAwait(false);
    }

    /// <summary>
    /// Put Block List: the blob becomes exactly <paramref name="blockIds"/>, in order, each the
    /// latest staged or committed block of that id; staged blocks not listed are discarded. An
    /// empty list therefore leaves an empty blob and no staged blocks (delete it afterwards to
    /// abandon an upload). <paramref name="createOnly"/> and <paramref name="metadata"/> work as in
    /// <see cref="UploadAsync(string, Stream, long?, string, bool, IReadOnlyDictionary{string, string}?, CancellationToken)"/>;
    /// an id that was never staged raises a 400 InvalidBlockList.
    /// </summary>
    public async Task<BlobUploadResult> CommitBlockListAsync(
        string name, IReadOnlyList<string> blockIds, string contentType = "application/octet-stream",
        bool createOnly = false, IReadOnlyDictionary<string, string>? metadata = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(blockIds);
        if (blockIds.Count > BlobBlockId.MaxBlocks)
        {
            throw new ArgumentOutOfRangeException(nameof(blockIds), $"a blob has at most {BlobBlockId.MaxBlocks} blocks");
        }
        var body = BlobBlockListXml.Write(blockIds);
        using var message = _pipeline.CreateMessage(RequestMethod.Put, BlobPath(name) + "?comp=blocklist");
        message.Request.Headers.SetValue("Content-Type", "application/xml");
        message.Request.Headers.SetValue("x-ms-blob-content-type", contentType);
        return await SendBlobWriteAsync(message, RequestContent.Create(body), createOnly, metadata, ct).ConfigureAwait(false);
    }

    /// <summary>Get Block List (committed and staged); null when the name has neither a blob nor staged blocks.</summary>
    public async Task<BlobBlockList?> GetBlockListAsync(string name, CancellationToken ct = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Get, BlobPath(name) + "?comp=blocklist&blocklisttype=all");
        var response = await _pipeline.SendAsync(message, ct, 200, 404).ConfigureAwait(false);
        return response.Status == 404 ? null : BlobBlockListXml.Parse(response.Content.ToStream());
    }
}
