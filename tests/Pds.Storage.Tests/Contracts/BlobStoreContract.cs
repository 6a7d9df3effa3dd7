using Pds.Core.Ipld;
using Pds.Core.Storage;

namespace Pds.Storage.Tests.Contracts;

/// <summary>What every <see cref="IBlobStore"/> must do. Each test uses its own DIDs and seeded random bytes.</summary>
public abstract class BlobStoreContract : ContractTest
{
    private readonly Random _random = new(42);

    protected abstract Task<IBlobStore> CreateAsync();

    /// <summary>Requests a remote store has sent so far (0 for a local one): input checks must not cost any.</summary>
    protected virtual long RequestsMade => 0;

    protected byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    protected static async Task<byte[]?> ReadAllAsync(IBlobStore blobs, string did, Cid cid)
    {
        await using var stream = await blobs.OpenAsync(did, cid);
        if (stream is null)
        {
            return null;
        }
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task PutTemp_Content_RawCidSizeAndLeadingBytes()
    {
        var blobs = await CreateAsync();
        var bytes = RandomBytes(200_000);

        var temp = await blobs.PutTempAsync(new MemoryStream(bytes), maxBytes: 1_000_000);

        Assert.Equal(Cid.ForRaw(bytes), temp.Cid);
        Assert.Equal(Multicodec.Raw, temp.Cid.Codec);
        Assert.Equal(bytes.Length, temp.Size);
        Assert.Equal(bytes[..256], temp.FirstBytes);
    }

    [Fact]
    public async Task PutTemp_ShorterThanSniffLength_FirstBytesAreAll()
    {
        var blobs = await CreateAsync();

        var temp = await blobs.PutTempAsync(new MemoryStream([1, 2, 3]), maxBytes: 10);

        Assert.Equal([1, 2, 3], temp.FirstBytes);
        Assert.Equal(3, temp.Size);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PutTemp_OneBytePastLimit_ThrowsBlobTooLarge(bool seekable)
    {
        var blobs = await CreateAsync();
        var bytes = RandomBytes(100_001);
        Stream content = seekable ? new MemoryStream(bytes) : new ForwardOnlyStream(bytes);

        var error = await Assert.ThrowsAsync<BlobTooLargeException>(() => blobs.PutTempAsync(content, maxBytes: 100_000));

        Assert.Equal(100_000, error.Limit);
    }

    [Fact]
    public async Task PutTemp_ExactlyAtLimit_Accepted()
    {
        var blobs = await CreateAsync();
        var bytes = RandomBytes(100_000);

        var temp = await blobs.PutTempAsync(new ForwardOnlyStream(bytes), maxBytes: 100_000);

        Assert.Equal(Cid.ForRaw(bytes), temp.Cid);
    }

    [Fact]
    public async Task MakePermanent_ThenOpen_SameBytes()
    {
        var blobs = await CreateAsync();
        var did = TestIds.Did();
        var bytes = RandomBytes(70_000);
        var temp = await blobs.PutTempAsync(new MemoryStream(bytes), 1_000_000);
        Assert.Null(await blobs.OpenAsync(did, temp.Cid));

        await blobs.MakePermanentAsync(did, temp.TempKey, temp.Cid);

        Assert.Equal(bytes, await ReadAllAsync(blobs, did, temp.Cid));
        Assert.Null(await blobs.OpenAsync(TestIds.Did(), temp.Cid));
    }

    [Fact]
    public async Task MakePermanent_AgainAndFromSecondUpload_Idempotent()
    {
        var blobs = await CreateAsync();
        var did = TestIds.Did();
        var bytes = RandomBytes(1000);
        var temp = await blobs.PutTempAsync(new MemoryStream(bytes), 1_000_000);
        await blobs.MakePermanentAsync(did, temp.TempKey, temp.Cid);

        await blobs.MakePermanentAsync(did, temp.TempKey, temp.Cid);
        var again = await blobs.PutTempAsync(new MemoryStream(bytes), 1_000_000);
        await blobs.MakePermanentAsync(did, again.TempKey, again.Cid);

        Assert.Equal(bytes, await ReadAllAsync(blobs, did, temp.Cid));
    }

    [Fact]
    public async Task MakePermanent_DeletedTemp_Throws()
    {
        var blobs = await CreateAsync();
        var temp = await blobs.PutTempAsync(new MemoryStream(RandomBytes(10)), 100);

        await blobs.DeleteTempAsync(temp.TempKey);

        await Assert.ThrowsAnyAsync<Exception>(() => blobs.MakePermanentAsync(TestIds.Did(), temp.TempKey, temp.Cid));
    }

    [Fact]
    public async Task Delete_OnePermanent_OnlyThatGone()
    {
        var blobs = await CreateAsync();
        var did = TestIds.Did();
        var gone = await PermanentAsync(blobs, did, RandomBytes(100));
        var kept = await PermanentAsync(blobs, did, RandomBytes(100));

        await blobs.DeleteAsync(did, gone);
        await blobs.DeleteAsync(did, gone);

        Assert.Null(await blobs.OpenAsync(did, gone));
        Assert.NotNull(await ReadAllAsync(blobs, did, kept));
    }

    [Fact]
    public async Task DeleteAll_Account_ItsBlobsGoneOthersKept()
    {
        var blobs = await CreateAsync();
        var did = TestIds.Did();
        var other = TestIds.Did();
        var bytes = RandomBytes(100);
        var mine = await PermanentAsync(blobs, did, bytes);
        var theirs = await PermanentAsync(blobs, other, bytes);

        await blobs.DeleteAllAsync(did);
        await blobs.DeleteAllAsync(did);

        Assert.Null(await blobs.OpenAsync(did, mine));
        Assert.Equal(bytes, await ReadAllAsync(blobs, other, theirs));
    }

    protected static async Task<Cid> PermanentAsync(IBlobStore blobs, string did, byte[] bytes)
    {
        var temp = await blobs.PutTempAsync(new MemoryStream(bytes), 10_000_000);
        await blobs.MakePermanentAsync(did, temp.TempKey, temp.Cid);
        return temp.Cid;
    }

    /// <summary>An upload body of unknown length, as a chunked HTTP request is.</summary>
    protected sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 4000));
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Theory]
    [InlineData("did:plc:../../x")]
    [InlineData("did:web:a/b")]
    [InlineData("did:web:a\\b")]
    [InlineData("../did:plc:abc")]
    [InlineData("tmp/x")]
    [InlineData("did:plc:")]
    [InlineData("did:plc:abc:")]
    [InlineData("DID:plc:abc")]
    public async Task Did_NotADid_Rejected(string did)
    {
        var blobs = await CreateAsync();
        var temp = await blobs.PutTempAsync(new MemoryStream([1]), 10);
        var requests = RequestsMade;

        await Assert.ThrowsAsync<ArgumentException>(() => blobs.OpenAsync(did, temp.Cid));
        await Assert.ThrowsAsync<ArgumentException>(() => blobs.MakePermanentAsync(did, temp.TempKey, temp.Cid));
        await Assert.ThrowsAsync<ArgumentException>(() => blobs.DeleteAsync(did, temp.Cid));
        await Assert.ThrowsAsync<ArgumentException>(() => blobs.DeleteAllAsync(did));
        Assert.Equal(requests, RequestsMade);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("..")]
    [InlineData("0123456789abcdef0123456789abcdeF")]
    [InlineData("/tmp/0123456789abcdef0123456789ab")]
    [InlineData("tmp/0123456789abcdef0123456789ab")]
    [InlineData("0123456789abcdef0123456789abcde/")]
    [InlineData("")]
    public async Task TempKey_NotOurShape_Rejected(string tempKey)
    {
        var blobs = await CreateAsync();
        var requests = RequestsMade;

        await Assert.ThrowsAsync<ArgumentException>(() => blobs.DeleteTempAsync(tempKey));
        await Assert.ThrowsAsync<ArgumentException>(() => blobs.MakePermanentAsync(TestIds.Did(), tempKey, Cid.ForRaw([1])));
        Assert.Equal(requests, RequestsMade);
    }

    /// <summary>DIDs that differ only where a naive file or blob name would collapse them stay apart.</summary>
    [Fact]
    public async Task Did_UnderscoreColonAndPercentVariants_KeptApart()
    {
        var blobs = await CreateAsync();
        var bytes = RandomBytes(10);
        var cid = await PermanentAsync(blobs, "did:web:a_b", bytes);
        var percent = RandomBytes(10);
        var percentCid = await PermanentAsync(blobs, "did:web:a%3Ab", percent);

        Assert.Null(await blobs.OpenAsync("did:web:a:b", cid));
        Assert.Null(await blobs.OpenAsync("did:web:a%3Ab", cid));
        Assert.Null(await blobs.OpenAsync("did:web:a:b", percentCid));
        Assert.Equal(bytes, await ReadAllAsync(blobs, "did:web:a_b", cid));
        Assert.Equal(percent, await ReadAllAsync(blobs, "did:web:a%3Ab", percentCid));
    }

    [Fact]
    public async Task Did_LongDidWeb_RoundTripsAndDeletes()
    {
        var blobs = await CreateAsync();
        var did = "did:web:" + string.Join('.', Enumerable.Repeat(new string('a', 60), 4)) + ".example";
        var bytes = RandomBytes(10);

        var cid = await PermanentAsync(blobs, did, bytes);

        Assert.Equal(bytes, await ReadAllAsync(blobs, did, cid));
        await blobs.DeleteAllAsync(did);
        Assert.Null(await blobs.OpenAsync(did, cid));
    }
}
