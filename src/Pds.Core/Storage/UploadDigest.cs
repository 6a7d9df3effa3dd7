using System.Security.Cryptography;
using Pds.Core.Ipld;

namespace Pds.Core.Storage;

/// <summary>
/// What every blob store computes while an upload streams past: the size against the limit,
/// the raw CID (SHA-256) and the leading bytes for content sniffing. Feed it each chunk as it is
/// read; <see cref="Complete"/> gives the <see cref="TempBlob"/>.
/// </summary>
public sealed class UploadDigest(long maxBytes) : IDisposable
{
    /// <summary>How many leading bytes <see cref="TempBlob.FirstBytes"/> carries.</summary>
    public const int SniffLength = 256;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _first = new byte[SniffLength];
    private int _firstLength;

    public long Size { get; private set; }

    /// <exception cref="BlobTooLargeException">The upload passed <c>maxBytes</c>.</exception>
    public void Append(ReadOnlySpan<byte> chunk)
    {
        Size += chunk.Length;
        if (Size > maxBytes)
        {
            throw new BlobTooLargeException(maxBytes);
        }
        _hash.AppendData(chunk);
        var sniff = Math.Min(chunk.Length, SniffLength - _firstLength);
        chunk[..sniff].CopyTo(_first.AsSpan(_firstLength));
        _firstLength += sniff;
    }

    public TempBlob Complete(string tempKey) =>
        new(tempKey, Cid.FromSha256(Multicodec.Raw, _hash.GetHashAndReset()), Size, _first[.._firstLength]);

    public void Dispose() => _hash.Dispose();
}
