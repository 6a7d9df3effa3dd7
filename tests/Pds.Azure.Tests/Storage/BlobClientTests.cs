using System.Text;
using Pds.Azure.Storage;
using Pds.TestSupport;

namespace Pds.Azure.Tests.Storage;

public sealed class BlobClientTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private async Task<BlobClient> NewContainerAsync()
    {
        var blobs = new BlobClient(azurite.Connection, AzuriteFixture.UniqueName("c-"));
        Assert.True(await blobs.CreateContainerIfNotExistsAsync());
        return blobs;
    }

    private static async Task<byte[]> ReadAllAsync(BlobDownload download)
    {
        using var copy = new MemoryStream();
        await download.Content.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static byte[] RandomBytes(int n, int seed)
    {
        var bytes = new byte[n];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task CreateContainer_SecondCall_ReturnsFalse()
    {
        var blobs = await NewContainerAsync();
        Assert.False(await blobs.CreateContainerIfNotExistsAsync());
    }

    [Fact]
    public async Task UploadDownload_NameWithColonsAndSlashes_ContentTypeKept()
    {
        var blobs = await NewContainerAsync();
        var data = RandomBytes(16384, 1);
        var name = "blobs/did:plc:abc/bafkreib2rxk3rybk3aobmv5cjuql3bm2twh4jo5uxgf5ajtmc2rgsd3qbm";

        var put = await blobs.UploadAsync(name, data, "image/png");
        await using var download = await blobs.DownloadAsync(name);

        Assert.NotNull(put.ETag);
        Assert.NotNull(download);
        Assert.Equal(16384, download.ContentLength);
        Assert.Equal(16384, download.TotalLength);
        Assert.Equal("image/png", download.ContentType);
        Assert.Equal(put.ETag, download.ETag);
        Assert.Equal(data, await ReadAllAsync(download));
    }

    [Fact]
    public async Task Download_Ranges_ReturnOnlyThoseBytes()
    {
        var blobs = await NewContainerAsync();
        var data = RandomBytes(16384, 2);
        await blobs.UploadAsync("r", data);

        await using (var first = await blobs.DownloadAsync("r", new BlobRange(0, 1024)))
        {
            Assert.Equal(1024, first!.ContentLength);
            Assert.Equal(16384, first.TotalLength);
            Assert.Equal(data[..1024], await ReadAllAsync(first));
        }
        await using (var middle = await blobs.DownloadAsync("r", new BlobRange(5000, 10)))
        {
            Assert.Equal(data[5000..5010], await ReadAllAsync(middle!));
        }
        await using (var tail = await blobs.DownloadAsync("r", new BlobRange(16000)))
        {
            Assert.Equal(384, tail!.ContentLength);
            Assert.Equal(data[16000..], await ReadAllAsync(tail));
        }
    }

    [Fact]
    public async Task Download_Missing_ReturnsNull_RangeOutside_Throws416()
    {
        var blobs = await NewContainerAsync();
        Assert.Null(await blobs.DownloadAsync("missing"));
        await blobs.UploadAsync("small", new byte[10]);
        var e = await Assert.ThrowsAsync<StorageRequestException>(() => blobs.DownloadAsync("small", new BlobRange(100, 10)));
        Assert.Equal(416, e.Status);
    }

    [Fact]
    public async Task Upload_CreateOnly_SecondUploadConflicts_OverwriteReplaces()
    {
        var blobs = await NewContainerAsync();
        await blobs.UploadAsync("once", Encoding.UTF8.GetBytes("first"), "text/plain", createOnly: true);

        var e = await Assert.ThrowsAsync<StorageConflictException>(
            () => blobs.UploadAsync("once", Encoding.UTF8.GetBytes("second"), "text/plain", createOnly: true));
        Assert.Equal("BlobAlreadyExists", e.ErrorCode);

        await blobs.UploadAsync("once", Encoding.UTF8.GetBytes("third"), "text/plain");
        await using var d = await blobs.DownloadAsync("once");
        Assert.Equal("third", Encoding.UTF8.GetString(await ReadAllAsync(d!)));
    }

    [Fact]
    public async Task Upload_NonSeekableStream_KnownLength_Streams_UnknownLength_Buffers()
    {
        var blobs = await NewContainerAsync();
        var data = RandomBytes(300_000, 3);

        await blobs.UploadAsync("known", new NonSeekableStream(data), data.Length);
        await blobs.UploadAsync("unknown", new NonSeekableStream(data));

        Assert.Equal(data.Length, (await blobs.GetPropertiesAsync("known"))!.ContentLength);
        await using var d = await blobs.DownloadAsync("unknown");
        Assert.Equal(data, await ReadAllAsync(d!));
    }

    [Fact]
    public async Task Download_LargeBlob_StreamsAfterTheRequestObjectsAreGone()
    {
        var blobs = await NewContainerAsync();
        var data = RandomBytes(8 * 1024 * 1024, 4);
        await blobs.UploadAsync("big", new MemoryStream(data));

        await using var download = await blobs.DownloadAsync("big");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        await Task.Delay(200);
        var copy = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await download!.Content.ReadAsync(buffer)) > 0)
        {
            copy.Write(buffer, 0, read);
        }
        Assert.Equal(data.Length, download!.ContentLength);
        Assert.True(data.AsSpan().SequenceEqual(copy.ToArray()));
    }

    [Fact]
    public async Task Upload_StreamShorterThanDeclared_FailsWithoutRetrying()
    {
        var blobs = await NewContainerAsync();
        blobs.Requests.Reset();
        var e = await Assert.ThrowsAnyAsync<Exception>(() => blobs.UploadAsync("short", new NonSeekableStream(new byte[10]), 20));
        Assert.Equal(1, blobs.Requests.Count);
        Assert.Contains("10 bytes before the declared length of 20", e.ToString());
        Assert.Null(await blobs.GetPropertiesAsync("short"));
    }

    [Fact]
    public async Task GetProperties_ExistingAndMissing()
    {
        var blobs = await NewContainerAsync();
        var put = await blobs.UploadAsync("p", new byte[123], "application/vnd.ipld.car");

        var props = await blobs.GetPropertiesAsync("p");
        Assert.NotNull(props);
        Assert.Equal(123, props.ContentLength);
        Assert.Equal("application/vnd.ipld.car", props.ContentType);
        Assert.Equal(put.ETag, props.ETag);
        Assert.Equal("available", props.LeaseState);
        Assert.NotNull(props.LastModified);
        Assert.Null(await blobs.GetPropertiesAsync("nope"));
    }

    [Fact]
    public async Task Delete_Returns202AsTrue_ThenFalse()
    {
        var blobs = await NewContainerAsync();
        await blobs.UploadAsync("d", new byte[1]);
        Assert.True(await blobs.DeleteAsync("d"));
        Assert.False(await blobs.DeleteAsync("d"));
        Assert.Null(await blobs.DownloadAsync("d"));
    }

    [Fact]
    public async Task List_ByPrefix_PagesWithNextMarker()
    {
        var blobs = await NewContainerAsync();
        for (var i = 0; i < 7; i++)
        {
            await blobs.UploadAsync($"blobs/did:plc:abc/{i:D2}", new byte[i + 1], "text/plain");
        }
        await blobs.UploadAsync("blobs/did:plc:other/00", new byte[1]);
        await blobs.UploadAsync("tmp/x", new byte[1]);

        var pages = new List<BlobPage>();
        string? marker = null;
        do
        {
            var page = await blobs.ListPageAsync("blobs/did:plc:abc/", marker, maxResults: 3);
            pages.Add(page);
            marker = page.NextMarker;
        }
        while (marker is not null);

        Assert.Equal([3, 3, 1], pages.Select(p => p.Items.Count));
        var items = pages.SelectMany(p => p.Items).ToList();
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"blobs/did:plc:abc/{i:D2}"), items.Select(b => b.Name));
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), items.Select(b => b.ContentLength));
        Assert.All(items, b => Assert.Equal("text/plain", b.ContentType));
        Assert.All(items, b => Assert.NotNull(b.ETag));

        var all = new List<string>();
        await foreach (var b in blobs.ListAsync("blobs/"))
        {
            all.Add(b.Name);
        }
        Assert.Equal(8, all.Count);
    }

    [Fact]
    public async Task Lease_AcquireConflictRenewRelease()
    {
        var blobs = await NewContainerAsync();
        await blobs.UploadAsync("locks/sequencer", ReadOnlyMemory<byte>.Empty, createOnly: true);

        var lease = await blobs.AcquireLeaseAsync("locks/sequencer", TimeSpan.FromSeconds(15));
        Assert.Equal("leased", (await blobs.GetPropertiesAsync("locks/sequencer"))!.LeaseState);

        var conflict = await Assert.ThrowsAsync<StorageConflictException>(
            () => blobs.AcquireLeaseAsync("locks/sequencer", TimeSpan.FromSeconds(15)));
        Assert.Equal("LeaseAlreadyPresent", conflict.ErrorCode);

        await blobs.RenewLeaseAsync("locks/sequencer", lease);
        var wrongRenew = await Assert.ThrowsAsync<StorageConflictException>(
            () => blobs.RenewLeaseAsync("locks/sequencer", Guid.NewGuid().ToString()));
        Assert.True(wrongRenew.IsConflict);

        await blobs.ReleaseLeaseAsync("locks/sequencer", lease);
        var again = await blobs.AcquireLeaseAsync("locks/sequencer", proposedLeaseId: "5b7c1a8e-8f1d-4f1e-9c1b-1d2f3e4a5b6c");
        Assert.Equal("5b7c1a8e-8f1d-4f1e-9c1b-1d2f3e4a5b6c", again);
        await blobs.ReleaseLeaseAsync("locks/sequencer", again);
    }

    [Fact]
    public async Task Lease_OutOfRangeDuration_RejectedBeforeSending()
    {
        var blobs = await NewContainerAsync();
        blobs.Requests.Reset();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => blobs.AcquireLeaseAsync("x", TimeSpan.FromSeconds(5)));
        Assert.Equal(0, blobs.Requests.Count);
    }

    private sealed class NonSeekableStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
