using Pds.Core.Ipld;
using Pds.Core.Storage;
using Pds.Sqlite;
using Pds.Storage.Tests.Contracts;

namespace Pds.Storage.Tests.Sqlite;

public sealed class FileBlobStoreTests : BlobStoreContract
{
    private readonly TempDirectory _dir = new();

    public FileBlobStoreTests() => Track(new DisposeAction(_dir.Dispose));

    private string Root => _dir.File("blobs");

    protected override Task<IBlobStore> CreateAsync() => Task.FromResult<IBlobStore>(new FileBlobStore(Root));

    [Fact]
    public async Task Open_SeekIntoBlob_ReadsThatRange()
    {
        var blobs = await CreateAsync();
        var did = TestIds.Did();
        var bytes = RandomBytes(10_000);
        var cid = await PermanentAsync(blobs, did, bytes);

        await using var stream = await blobs.OpenAsync(did, cid);
        Assert.NotNull(stream);
        Assert.True(stream.CanSeek);
        Assert.Equal(bytes.Length, stream.Length);
        stream.Seek(4000, SeekOrigin.Begin);
        var range = new byte[500];
        await stream.ReadExactlyAsync(range);

        Assert.Equal(bytes[4000..4500], range);
    }

    [Fact]
    public async Task MakePermanent_Layout_DidDirectoryWithCidFile()
    {
        var blobs = await CreateAsync();
        var did = TestIds.Did();

        var cid = await PermanentAsync(blobs, did, RandomBytes(10));

        Assert.True(File.Exists(Path.Combine(Root, did.Replace(':', '+'), cid.ToString())));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Root, "tmp")));
    }

    [Fact]
    public async Task PutTemp_TooLarge_LeavesNoPartialFile()
    {
        var blobs = await CreateAsync();

        await Assert.ThrowsAsync<BlobTooLargeException>(
            () => blobs.PutTempAsync(new ForwardOnlyStream(RandomBytes(300_000)), maxBytes: 200_000));

        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Root, "tmp")));
    }

    [Fact]
    public async Task PutTemp_Cancelled_LeavesNoPartialFile()
    {
        var blobs = await CreateAsync();
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => blobs.PutTempAsync(new ForwardOnlyStream(RandomBytes(1000)), 10_000, cancel.Token));

        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Root, "tmp")));
    }

    [Fact]
    public async Task Did_LongDidWeb_StoredUnderHashedName()
    {
        var blobs = await CreateAsync();
        var did = "did:web:" + string.Join('.', Enumerable.Repeat(new string('a', 60), 4)) + ".example";
        var bytes = RandomBytes(10);

        await PermanentAsync(blobs, did, bytes);

        Assert.All(Directory.EnumerateDirectories(Root), d => Assert.True(Path.GetFileName(d).Length <= 200));
    }
}
