using System.Text;
using Pds.Azure.Storage;
using Pds.TestSupport;

namespace Pds.Azure.Tests.Storage;

/// <summary>Staged blocks, Copy Blob, metadata and conditional get/delete against a real Azurite.</summary>
public sealed class BlobClientBlockAndCopyTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private async Task<BlobClient> NewContainerAsync()
    {
        var blobs = new BlobClient(azurite.Connection, AzuriteFixture.UniqueName("c-"));
        Assert.True(await blobs.CreateContainerIfNotExistsAsync());
        return blobs;
    }

    private static byte[] RandomBytes(int n, int seed)
    {
        var bytes = new byte[n];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static async Task<byte[]> ReadAllAsync(BlobClient blobs, string name)
    {
        await using var download = await blobs.DownloadAsync(name);
        Assert.NotNull(download);
        using var copy = new MemoryStream();
        await download.Content.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static async Task<List<string>> ListWithUncommittedAsync(BlobClient blobs)
    {
        var names = new List<string>();
        await foreach (var item in blobs.ListAsync(includeUncommitted: true))
        {
            names.Add(item.Name);
        }
        return names;
    }

    [Fact]
    public async Task StageAndCommit_ThreeBlocks_ContentInListOrder_WithTypeAndMetadata()
    {
        var blobs = await NewContainerAsync();
        var parts = new[] { RandomBytes(1000, 1), RandomBytes(2000, 2), RandomBytes(10, 3) };
        var ids = Enumerable.Range(0, 3).Select(BlobBlockId.FromIndex).ToList();
        var name = "did:plc:abc/bafkreiblocks";
        for (var i = 0; i < 3; i++)
        {
            await blobs.StageBlockAsync(name, ids[i], parts[i]);
        }

        Assert.Null(await blobs.GetPropertiesAsync(name));
        var staged = await blobs.GetBlockListAsync(name);
        Assert.NotNull(staged);
        Assert.Empty(staged.Committed);
        Assert.Equal(ids, staged.Uncommitted.Select(b => b.Id));

        var put = await blobs.CommitBlockListAsync(name, ids, "image/jpeg", metadata: new Dictionary<string, string> { ["cid"] = "bafkreiblocks" });

        Assert.Equal(parts.SelectMany(p => p).ToArray(), await ReadAllAsync(blobs, name));
        var props = await blobs.GetPropertiesAsync(name);
        Assert.NotNull(props);
        Assert.Equal(put.ETag, props.ETag);
        Assert.Equal("image/jpeg", props.ContentType);
        Assert.Equal(3010, props.ContentLength);
        Assert.Equal("bafkreiblocks", props.Metadata["cid"]);
        Assert.Null(props.Copy);
        var committed = await blobs.GetBlockListAsync(name);
        Assert.Equal([1000L, 2000L, 10L], committed!.Committed.Select(b => b.Size));
        Assert.Empty(committed.Uncommitted);
    }

    [Fact]
    public async Task CommitEmptyList_DropsStagedBlocks_ThenDeleteLeavesNothing()
    {
        var blobs = await NewContainerAsync();
        await blobs.StageBlockAsync("tmp/abandoned", BlobBlockId.FromIndex(0), RandomBytes(100, 4));
        Assert.Equal(["tmp/abandoned"], await ListWithUncommittedAsync(blobs));
        Assert.Empty((await blobs.ListPageAsync()).Items);

        await blobs.CommitBlockListAsync("tmp/abandoned", []);
        Assert.Equal(0, (await blobs.GetPropertiesAsync("tmp/abandoned"))!.ContentLength);
        Assert.True(await blobs.DeleteAsync("tmp/abandoned"));

        Assert.Empty(await ListWithUncommittedAsync(blobs));
        Assert.Null(await blobs.GetBlockListAsync("tmp/abandoned"));
        // The staged block is gone for good: staging anew under the name cannot bring it back.
        await blobs.StageBlockAsync("tmp/abandoned", BlobBlockId.FromIndex(1), new byte[] { 1 });
        var e = await Assert.ThrowsAsync<StorageRequestException>(() => blobs.CommitBlockListAsync("tmp/abandoned", [BlobBlockId.FromIndex(0)]));
        Assert.Equal("InvalidBlockList", e.ErrorCode);
    }

    [Fact]
    public async Task Delete_NameWithOnlyStagedBlocks_NoLongerListed()
    {
        var blobs = await NewContainerAsync();
        await blobs.StageBlockAsync("tmp/staged", BlobBlockId.FromIndex(0), RandomBytes(100, 7));

        Assert.True(await blobs.DeleteAsync("tmp/staged"));

        Assert.Empty(await ListWithUncommittedAsync(blobs));
        Assert.Null(await blobs.GetBlockListAsync("tmp/staged"));
    }

    [Fact]
    public async Task CommitUnknownBlock_InvalidBlockList_NothingCreated()
    {
        var blobs = await NewContainerAsync();
        await blobs.StageBlockAsync("b", BlobBlockId.FromIndex(0), new byte[] { 1 });

        var e = await Assert.ThrowsAsync<StorageRequestException>(
            () => blobs.CommitBlockListAsync("b", [BlobBlockId.FromIndex(0), BlobBlockId.FromIndex(1)]));

        Assert.Equal(400, e.Status);
        Assert.Equal("InvalidBlockList", e.ErrorCode);
        Assert.Null(await blobs.GetPropertiesAsync("b"));
    }

    [Fact]
    public async Task CommitAgainWithSameIds_AfterCommit_SameContent()
    {
        // What a retried Put Block List (response lost) does: <Latest> finds the committed blocks.
        var blobs = await NewContainerAsync();
        var data = RandomBytes(500, 5);
        await blobs.StageBlockAsync("r", BlobBlockId.FromIndex(0), data);
        await blobs.CommitBlockListAsync("r", [BlobBlockId.FromIndex(0)]);

        await blobs.CommitBlockListAsync("r", [BlobBlockId.FromIndex(0)]);

        Assert.Equal(data, await ReadAllAsync(blobs, "r"));
    }

    [Fact]
    public async Task CommitCreateOnly_ExistingBlob_Conflicts()
    {
        var blobs = await NewContainerAsync();
        await blobs.UploadAsync("x", new byte[] { 1 });
        await blobs.StageBlockAsync("x", BlobBlockId.FromIndex(0), new byte[] { 2 });

        var e = await Assert.ThrowsAsync<StorageConflictException>(
            () => blobs.CommitBlockListAsync("x", [BlobBlockId.FromIndex(0)], createOnly: true));

        Assert.Equal("BlobAlreadyExists", e.ErrorCode);
        Assert.Equal(new byte[] { 1 }, await ReadAllAsync(blobs, "x"));
    }

    [Fact]
    public async Task Copy_SameContainer_BytesTypeAndMetadataCopied_StatusSuccess()
    {
        var blobs = await NewContainerAsync();
        var data = RandomBytes(70_000, 6);
        var source = await blobs.UploadAsync("tmp/src", data, "image/png", metadata: new Dictionary<string, string> { ["cid"] = "bafkreix" });

        var copy = await blobs.StartCopyAsync("did:plc:abc/bafkreix", "tmp/src", createOnly: true, sourceIfMatch: source.ETag);

        Assert.Equal(BlobCopyStatus.Success, copy.Status);
        Assert.NotNull(copy.Id);
        var props = await blobs.WaitForCopyAsync("did:plc:abc/bafkreix", TimeSpan.FromSeconds(10));
        Assert.Equal(BlobCopyStatus.Success, props.Copy!.Status);
        Assert.Equal(copy.Id, props.Copy.Id);
        Assert.Equal("image/png", props.ContentType);
        Assert.Equal("bafkreix", props.Metadata["cid"]);
        Assert.Equal(data, await ReadAllAsync(blobs, "did:plc:abc/bafkreix"));
        Assert.Equal(data, await ReadAllAsync(blobs, "tmp/src"));
    }

    [Fact]
    public async Task Copy_CreateOnlyOntoExisting_Conflicts_TargetUnchanged()
    {
        var blobs = await NewContainerAsync();
        await blobs.UploadAsync("src", new byte[] { 1 });
        await blobs.UploadAsync("dst", new byte[] { 2 });

        var e = await Assert.ThrowsAnyAsync<StorageRequestException>(() => blobs.StartCopyAsync("dst", "src", createOnly: true));

        Assert.True(e.Status is 409 or 412, $"status {e.Status}");
        Assert.Equal(new byte[] { 2 }, await ReadAllAsync(blobs, "dst"));
    }

    [Fact]
    public async Task Copy_SourceChanged_PreconditionFailed_MissingSource_NotFound()
    {
        var blobs = await NewContainerAsync();
        var first = await blobs.UploadAsync("src", new byte[] { 1 });
        await blobs.UploadAsync("src", new byte[] { 2 });

        var changed = await Assert.ThrowsAnyAsync<StorageRequestException>(() => blobs.StartCopyAsync("dst", "src", sourceIfMatch: first.ETag));
        Assert.Equal(412, changed.Status);
        await Assert.ThrowsAsync<StorageNotFoundException>(() => blobs.StartCopyAsync("dst", "missing"));
        Assert.Null(await blobs.GetPropertiesAsync("dst"));
    }

    [Fact]
    public async Task WaitForCopy_NotACopy_ReturnsAtOnce_Missing_NotFound()
    {
        var blobs = await NewContainerAsync();
        await blobs.UploadAsync("plain", new byte[] { 1 });

        var props = await blobs.WaitForCopyAsync("plain", TimeSpan.FromSeconds(1));

        Assert.Null(props.Copy);
        await Assert.ThrowsAsync<StorageNotFoundException>(() => blobs.WaitForCopyAsync("missing", TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task DownloadAndDelete_IfMatch_StaleETagFails()
    {
        var blobs = await NewContainerAsync();
        var old = await blobs.UploadAsync("v", Encoding.UTF8.GetBytes("one"));
        var current = await blobs.UploadAsync("v", Encoding.UTF8.GetBytes("two"));

        await Assert.ThrowsAsync<StorageConcurrencyException>(() => blobs.DownloadAsync("v", new BlobRange(1), ifMatch: old.ETag));
        await using (var tail = await blobs.DownloadAsync("v", new BlobRange(1), ifMatch: current.ETag))
        {
            using var copy = new MemoryStream();
            await tail!.Content.CopyToAsync(copy);
            Assert.Equal("wo", Encoding.UTF8.GetString(copy.ToArray()));
        }
        await Assert.ThrowsAsync<StorageConcurrencyException>(() => blobs.DeleteAsync("v", old.ETag));
        Assert.True(await blobs.DeleteAsync("v", current.ETag));
    }

    [Fact]
    public async Task Metadata_BadNameOrValue_RejectedBeforeSending()
    {
        var blobs = await NewContainerAsync();
        blobs.Requests.Reset();

        await Assert.ThrowsAsync<ArgumentException>(() => blobs.UploadAsync("m", new byte[1], metadata: new Dictionary<string, string> { ["not-an-identifier"] = "x" }));
        await Assert.ThrowsAsync<ArgumentException>(() => blobs.UploadAsync("m", new byte[1], metadata: new Dictionary<string, string> { ["ok"] = "line\nbreak" }));
        await Assert.ThrowsAsync<ArgumentException>(() => blobs.UploadAsync("m", new byte[1], metadata: new Dictionary<string, string> { ["ok"] = " padded" }));
        await Assert.ThrowsAsync<ArgumentException>(() => blobs.CommitBlockListAsync("m", [], metadata: new Dictionary<string, string> { ["ok"] = "" }));

        Assert.Equal(0, blobs.Requests.Count);
    }

    [Fact]
    public async Task BlockIds_Malformed_RejectedBeforeSending()
    {
        var blobs = await NewContainerAsync();
        blobs.Requests.Reset();

        await Assert.ThrowsAsync<ArgumentException>(() => blobs.StageBlockAsync("b", "not base64!", new byte[1]));
        await Assert.ThrowsAsync<ArgumentException>(() => blobs.StageBlockAsync("b", Convert.ToBase64String(new byte[65]), new byte[1]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => blobs.StageBlockAsync("b", BlobBlockId.FromIndex(0), ReadOnlyMemory<byte>.Empty));
        await Assert.ThrowsAsync<ArgumentException>(() => blobs.CommitBlockListAsync("b", ["a<b"]));

        Assert.Equal(0, blobs.Requests.Count);
    }

    [Fact]
    public void BlockIdFromIndex_SameLength_UrlSafe_Distinct()
    {
        var ids = new[] { 0, 1, 9, 10, 12345, BlobBlockId.MaxBlocks - 1 }.Select(BlobBlockId.FromIndex).ToList();

        Assert.All(ids, id => Assert.Equal(8, id.Length));
        Assert.All(ids, id => Assert.Matches("^[A-Za-z0-9]+$", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Throws<ArgumentOutOfRangeException>(() => BlobBlockId.FromIndex(BlobBlockId.MaxBlocks));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlobBlockId.FromIndex(-1));
    }
}
