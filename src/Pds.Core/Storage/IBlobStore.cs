using Pds.Core.Ipld;

namespace Pds.Core.Storage;

/// <summary>
/// Media bytes. Uploads land under a temporary key; when a record references the blob it is
/// made permanent under (did, cid). Bytes are immutable once permanent.
/// </summary>
public interface IBlobStore
{
    /// <summary>Streams an upload to temporary storage; returns its key and the bytes' raw CID and size.</summary>
    Task<TempBlob> PutTempAsync(Stream content, long maxBytes, CancellationToken ct = default);

    /// <summary>Moves a temporary upload to (did, cid). Idempotent if already permanent.</summary>
    Task MakePermanentAsync(string did, string tempKey, Cid cid, CancellationToken ct = default);

    /// <summary>Opens a permanent blob for reading (optionally a byte range), or null.</summary>
    Task<Stream?> OpenAsync(string did, Cid cid, CancellationToken ct = default);

    Task DeleteAsync(string did, Cid cid, CancellationToken ct = default);
    Task DeleteTempAsync(string tempKey, CancellationToken ct = default);
    Task DeleteAllAsync(string did, CancellationToken ct = default);
}

/// <param name="FirstBytes">The leading bytes, for content sniffing.</param>
public sealed record TempBlob(string TempKey, Cid Cid, long Size, byte[] FirstBytes);

/// <summary>An upload larger than the configured limit.</summary>
public sealed class BlobTooLargeException(long limit) : Exception($"blob larger than {limit} bytes")
{
    public long Limit { get; } = limit;
}

/// <summary>Blob metadata and which records reference which blobs (for listBlobs and listMissingBlobs).</summary>
public interface IBlobIndex
{
    Task PutAsync(BlobRecord blob, CancellationToken ct = default);
    Task<BlobRecord?> GetAsync(string did, Cid cid, CancellationToken ct = default);

    /// <summary>
    /// Replaces the blobs a record references (empty to clear). <paramref name="rev"/> is the
    /// commit that wrote the record; it is kept with the references for <see cref="ListAsync"/>
    /// with a <c>since</c>, so it is recorded even when the set of blobs is unchanged.
    /// </summary>
    Task SetRecordBlobsAsync(string did, string recordPath, IReadOnlyList<Cid> blobs, string rev, CancellationToken ct = default);

    /// <summary>
    /// CIDs ordered by CID string, after <paramref name="cursor"/>. Without <paramref name="since"/>:
    /// the account's permanent blobs. With it (a rev): the distinct blobs referenced by records
    /// whose latest write has a rev above it, whether or not the bytes are here (as the reference
    /// PDS lists them). References stored before revs were kept count as newer than any rev: a
    /// consumer may fetch a blob it already has, but never misses one.
    /// </summary>
    Task<IReadOnlyList<Cid>> ListAsync(string did, int limit, string? cursor, string? since = null, CancellationToken ct = default);

    /// <summary>Blobs referenced by records that were never uploaded (after an account migration).</summary>
    Task<IReadOnlyList<(Cid Cid, string RecordPath)>> ListMissingAsync(string did, int limit, string? cursor, CancellationToken ct = default);

    Task<bool> IsReferencedAsync(string did, Cid cid, CancellationToken ct = default);

    /// <summary>Uploads still temporary (no record referenced them) that were created before <paramref name="before"/>.</summary>
    Task<IReadOnlyList<BlobRecord>> ListExpiredTempAsync(DateTimeOffset before, int limit, CancellationToken ct = default);
    Task DeleteAsync(string did, Cid cid, CancellationToken ct = default);
    Task DeleteAllAsync(string did, CancellationToken ct = default);
}

/// <param name="TempKey">Set while the blob is only uploaded, cleared when a record makes it permanent.</param>
public sealed record BlobRecord(string Did, Cid Cid, string MimeType, long Size, string? TempKey, DateTimeOffset CreatedAt);
