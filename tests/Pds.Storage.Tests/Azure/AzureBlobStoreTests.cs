using System.Security.Cryptography;
using Pds.Azure.Adapters.Blobs;
using Pds.Azure.Storage;
using Pds.Core.Ipld;
using Pds.Core.Storage;
using Pds.Storage.Tests.Contracts;
using Pds.TestSupport;

namespace Pds.Storage.Tests.Azure;

/// <summary>The blob store contract on a real Azurite (a fresh container per test), plus what only Blob Storage has.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobStoreTests(AzuriteFixture azurite) : BlobStoreContract
{
    private const int MiB = 1024 * 1024;

    private BlobClient? _client;

    /// <summary>The container of the store <see cref="CreateAsync"/> made last.</summary>
    /// <summary>Bad names must be refused before any request goes out.</summary>
    protected override long RequestsMade => Client.Requests.Count;

    private BlobClient Client => _client ?? throw new InvalidOperationException("CreateAsync first");

    protected override async Task<IBlobStore> CreateAsync()
    {
        _client = new BlobClient(azurite.Connection, AzuriteFixture.UniqueName("blobs-"));
        await _client.CreateContainerIfNotExistsAsync();
        return new AzureBlobStore(_client);
    }

    /// <summary>Every name in the container, including names that only have staged blocks.</summary>
    private async Task<List<string>> AllNamesAsync()
    {
        var names = new List<string>();
        await foreach (var item in Client.ListAsync(includeUncommitted: true))
        {
            names.Add(item.Name);
        }
        return names;
    }

    [Fact]
    public async Task PutTemp_NineMiB_ThreeBlocksCommitted_RawCidAndSize()
    {
        var blobs = await CreateAsync();
        var bytes = RandomBytes(9 * MiB);
        Client.Requests.Reset();

        var temp = await blobs.PutTempAsync(new ForwardOnlyStream(bytes), 100 * MiB);

        Assert.Equal(Cid.ForRaw(bytes), temp.Cid);
        Assert.Equal(bytes.Length, temp.Size);
        Assert.Equal(bytes[..256], temp.FirstBytes);
        Assert.Equal(4, Client.Requests.Count);
        var blocks = await Client.GetBlockListAsync(AzureBlobNames.Temp(temp.TempKey));
        Assert.Equal([4L * MiB, 4L * MiB, 1L * MiB], blocks!.Committed.Select(b => b.Size));
        Assert.Empty(blocks.Uncommitted);
        var props = await Client.GetPropertiesAsync(AzureBlobNames.Temp(temp.TempKey));
        Assert.Equal(temp.Cid.ToString(), props!.Metadata["cid"]);

        var did = TestIds.Did();
        await blobs.MakePermanentAsync(did, temp.TempKey, temp.Cid);
        var read = await ReadAllAsync(blobs, did, temp.Cid);
        Assert.True(bytes.AsSpan().SequenceEqual(read));
    }

    [Theory]
    [InlineData(4 * MiB, 2)]
    [InlineData(8 * MiB, 3)]
    [InlineData(4 * MiB - 1, 1)]
    [InlineData(0, 1)]
    public async Task PutTemp_AtBlockBoundaries_RoundTrips(int length, int requests)
    {
        var blobs = await CreateAsync();
        var bytes = RandomBytes(length);
        Client.Requests.Reset();

        var temp = await blobs.PutTempAsync(new ForwardOnlyStream(bytes), 100 * MiB);

        Assert.Equal(requests, Client.Requests.Count);
        Assert.Equal(Cid.ForRaw(bytes), temp.Cid);
        Assert.Equal(length, temp.Size);
        var did = TestIds.Did();
        await blobs.MakePermanentAsync(did, temp.TempKey, temp.Cid);
        var read = await ReadAllAsync(blobs, did, temp.Cid);
        Assert.True(bytes.AsSpan().SequenceEqual(read));
    }

    [Fact]
    public async Task PutTemp_TooLargeAfterTwoBlocksWereStaged_LeavesNoBlobAndNoStagedBlocks()
    {
        var blobs = await CreateAsync();

        var error = await Assert.ThrowsAsync<BlobTooLargeException>(
            () => blobs.PutTempAsync(new ForwardOnlyStream(RandomBytes(9 * MiB)), maxBytes: 9 * MiB - 1));

        Assert.Equal(9 * MiB - 1, error.Limit);
        Assert.Empty(await AllNamesAsync());
    }

    [Fact]
    public async Task PutTemp_CancelledAfterTheFirstBlock_LeavesNoBlobAndNoStagedBlocks()
    {
        var blobs = await CreateAsync();
        using var cancel = new CancellationTokenSource();
        List<string>? staged = null;
        var content = new ThrowingAfterStream(RandomBytes(9 * MiB), 5 * MiB, () =>
        {
            // The upload's temp name is not returned on failure: catch it while it has a staged block.
            staged ??= AllNamesAsync().GetAwaiter().GetResult();
            cancel.Cancel();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blobs.PutTempAsync(content, 100 * MiB, cancel.Token));

        var name = Assert.Single(staged!);
        Assert.StartsWith(AzureBlobNames.TempPrefix, name, StringComparison.Ordinal);
        Assert.Empty(await AllNamesAsync());
        // Dropped, not just hidden: a new block under the name cannot be committed with the old one.
        await Client.StageBlockAsync(name, BlobBlockId.FromIndex(1), new byte[] { 1 });
        var e = await Assert.ThrowsAsync<StorageRequestException>(() => Client.CommitBlockListAsync(name, [BlobBlockId.FromIndex(0)]));
        Assert.Equal("InvalidBlockList", e.ErrorCode);
    }

    [Fact]
    public async Task PutTemp_BodyFailsAfterTheFirstBlock_ErrorSurfaces_NothingLeft()
    {
        var blobs = await CreateAsync();
        var content = new ThrowingAfterStream(RandomBytes(6 * MiB), 5 * MiB, () => throw new IOException("client went away"));

        var error = await Assert.ThrowsAsync<IOException>(() => blobs.PutTempAsync(content, 100 * MiB));

        Assert.Equal("client went away", error.Message);
        Assert.Empty(await AllNamesAsync());
    }

    [Fact]
    public async Task PutTemp_AlreadyCancelled_NoRequest()
    {
        var blobs = await CreateAsync();
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        Client.Requests.Reset();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => blobs.PutTempAsync(new ForwardOnlyStream(RandomBytes(1000)), 10_000, cancel.Token));

        Assert.Equal(0, Client.Requests.Count);
    }

    [Fact]
    public async Task PutTemp_TwentyFourMiB_AllocatesFarLessThanTheUpload()
    {
        var blobs = await CreateAsync();
        const long length = 24L * MiB;
        await blobs.PutTempAsync(new GeneratedStream(MiB), 100 * MiB);
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var temp = await blobs.PutTempAsync(new GeneratedStream(length), 100 * MiB);

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(GeneratedStream.Cid(length), temp.Cid);
        Assert.True(allocated < 8L * MiB, $"allocated {allocated / MiB} MiB for a {length / MiB} MiB upload");
    }

    [Fact]
    public async Task MakePermanent_ThreeRequests_NamedDidSlashCid_TempGone_CidMetadataKept()
    {
        var blobs = await CreateAsync();
        var did = TestIds.Did();
        var temp = await blobs.PutTempAsync(new MemoryStream(RandomBytes(1000)), 10_000);
        Client.Requests.Reset();

        await blobs.MakePermanentAsync(did, temp.TempKey, temp.Cid);

        Assert.Equal(3, Client.Requests.Count);
        Assert.Equal([$"{did}/{temp.Cid}"], await AllNamesAsync());
        var props = await Client.GetPropertiesAsync($"{did}/{temp.Cid}");
        Assert.Equal(temp.Cid.ToString(), props!.Metadata["cid"]);
        Assert.Equal(BlobCopyStatus.Success, props.Copy!.Status);
    }

    [Fact]
    public async Task MakePermanent_CrashAfterCopyBeforeTempDelete_RetrySucceedsAndDeletesTemp()
    {
        var blobs = await CreateAsync();
        var did = TestIds.Did();
        var bytes = RandomBytes(5000);
        var temp = await blobs.PutTempAsync(new MemoryStream(bytes), 10_000);
        // What a process that died right after Copy Blob leaves behind.
        await Client.StartCopyAsync(AzureBlobNames.Permanent(did, temp.Cid), AzureBlobNames.Temp(temp.TempKey));

        await blobs.MakePermanentAsync(did, temp.TempKey, temp.Cid);
        await blobs.MakePermanentAsync(did, temp.TempKey, temp.Cid);

        Assert.Equal([AzureBlobNames.Permanent(did, temp.Cid)], await AllNamesAsync());
        Assert.Equal(bytes, await ReadAllAsync(blobs, did, temp.Cid));
    }

    [Fact]
    public async Task MakePermanent_CidOfOtherBytes_ArgumentException_NothingCopied()
    {
        var blobs = await CreateAsync();
        var temp = await blobs.PutTempAsync(new MemoryStream(RandomBytes(100)), 10_000);
        var did = TestIds.Did();

        await Assert.ThrowsAsync<ArgumentException>(() => blobs.MakePermanentAsync(did, temp.TempKey, Cid.ForRaw([1, 2, 3])));

        Assert.Equal([AzureBlobNames.Temp(temp.TempKey)], await AllNamesAsync());
    }

    [Fact]
    public async Task MakePermanent_NeitherTempNorTarget_FileNotFound()
    {
        var blobs = await CreateAsync();

        await Assert.ThrowsAsync<FileNotFoundException>(
            () => blobs.MakePermanentAsync(TestIds.Did(), AzureBlobNames.NewTempKey(), Cid.ForRaw([1])));
    }

    [Fact]
    public async Task Open_SeekAcrossBlocks_ReadsThoseRanges_OneRequestPerSeek()
    {
        var blobs = await CreateAsync();
        var did = TestIds.Did();
        var bytes = RandomBytes(9 * MiB);
        var cid = await PermanentAsync(blobs, did, bytes);
        Client.Requests.Reset();

        await using var stream = await blobs.OpenAsync(did, cid);
        Assert.NotNull(stream);
        Assert.True(stream.CanSeek);
        Assert.Equal(bytes.Length, stream.Length);
        var head = new byte[100];
        await stream.ReadExactlyAsync(head);
        Assert.Equal(bytes[..100], head);
        Assert.Equal(1, Client.Requests.Count);

        stream.Seek(4 * MiB - 50, SeekOrigin.Begin);
        var across = new byte[100];
        await stream.ReadExactlyAsync(across);
        Assert.Equal(bytes[(4 * MiB - 50)..(4 * MiB + 50)], across);
        Assert.Equal(4 * MiB + 50, stream.Position);
        Assert.Equal(2, Client.Requests.Count);

        stream.Seek(-10, SeekOrigin.End);
        var tail = new byte[100];
        Assert.Equal(10, await stream.ReadAtLeastAsync(tail, 100, throwOnEndOfStream: false));
        Assert.Equal(bytes[^10..], tail[..10]);
        Assert.Equal(0, await stream.ReadAsync(tail));

        stream.Position = 0;
        var again = new byte[50];
        await stream.ReadExactlyAsync(again);
        Assert.Equal(bytes[..50], again);
        Assert.Throws<IOException>(() => stream.Seek(-1, SeekOrigin.Begin));
    }

    [Fact]
    public async Task Open_BlobDeletedOrReplacedWhileOpen_ReadAfterSeekFails()
    {
        var blobs = await CreateAsync();
        var did = TestIds.Did();
        var cid = await PermanentAsync(blobs, did, RandomBytes(10_000));
        var name = AzureBlobNames.Permanent(did, cid);

        await using (var stream = await blobs.OpenAsync(did, cid))
        {
            await Client.UploadAsync(name, RandomBytes(10_000));
            stream!.Seek(5000, SeekOrigin.Begin);
            await Assert.ThrowsAsync<IOException>(async () => await stream.ReadExactlyAsync(new byte[10]));
        }
        await using (var stream = await blobs.OpenAsync(did, cid))
        {
            await blobs.DeleteAsync(did, cid);
            stream!.Seek(5000, SeekOrigin.Begin);
            await Assert.ThrowsAsync<IOException>(async () => await stream.ReadExactlyAsync(new byte[10]));
        }
    }

    [Fact]
    public async Task Did_PercentVariant_NamedWithItsPercentEncoding()
    {
        var blobs = await CreateAsync();
        var percentCid = await PermanentAsync(blobs, "did:web:a%3Ab", RandomBytes(10));

        Assert.Contains("did:web:a%3Ab/" + percentCid, await AllNamesAsync());
    }

    [Fact]
    public async Task Did_LongDidWeb_StoredUnderHashedName()
    {
        var blobs = await CreateAsync();
        var did = "did:web:" + string.Join('.', Enumerable.Repeat(new string('a', 60), 4)) + ".example";
        var bytes = RandomBytes(10);

        await PermanentAsync(blobs, did, bytes);

        var name = Assert.Single(await AllNamesAsync());
        Assert.StartsWith("h_", name, StringComparison.Ordinal);
        await blobs.DeleteAllAsync(did);
        Assert.Empty(await AllNamesAsync());
    }

    [Fact]
    public async Task DeleteAll_ManyBlobs_AllOfThatAccountGone_PrefixSiblingKept()
    {
        var blobs = await CreateAsync();
        var did = "did:plc:" + TestIds.Random(24);
        for (var i = 0; i < 12; i++)
        {
            await PermanentAsync(blobs, did, RandomBytes(20));
        }
        var sibling = await PermanentAsync(blobs, did + "x", RandomBytes(20));

        await blobs.DeleteAllAsync(did);

        Assert.Equal([AzureBlobNames.Permanent(did + "x", sibling)], await AllNamesAsync());
    }

    /// <summary>
    /// Deterministic bytes made on the fly, so a large upload is not held by the test itself;
    /// <see cref="Cid(long)"/> hashes the same sequence.
    /// </summary>
    private sealed class GeneratedStream(long length) : Stream
    {
        private long _position;

        public static Cid Cid(long length)
        {
            using var source = new GeneratedStream(length);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[81920];
            int read;
            while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
            return Core.Ipld.Cid.FromSha256(Multicodec.Raw, hash.GetHashAndReset());
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++)
            {
                var p = (ulong)(_position + i);
                buffer[offset + i] = (byte)((p * 2654435761UL) >> 13);
            }
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>An upload body that runs <paramref name="onLimit"/> once it has delivered <paramref name="limit"/> bytes.</summary>
    private sealed class ThrowingAfterStream(byte[] bytes, int limit, Action onLimit) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public long Delivered => _inner.Position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_inner.Position >= limit)
            {
                onLimit();
            }
            return _inner.Read(buffer, offset, Math.Min(count, 65536));
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
