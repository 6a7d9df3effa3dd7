using System.Net.Http.Headers;
using Pds.Core.Ipld;
using Pds.Core.Storage;
using Pds.Core.Xrpc;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Sync;

/// <summary>
/// Serves blob bytes with headers that stop browsers from rendering them as a page of this
/// origin. A single byte range is honoured (video players seek with them); several ranges get
/// the whole blob, as HTTP allows.
/// </summary>
public sealed class GetBlob : IXrpcMethod
{
    public string Nsid => "com.atproto.sync.getBlob";
    public XrpcKind Kind => XrpcKind.Query;

    public async Task HandleAsync(XrpcContext x)
    {
        var did = x.RequiredQuery("did");
        if (!Cid.TryParse(x.RequiredQuery("cid"), out var cid))
        {
            throw XrpcException.InvalidRequest("cid must be a valid CID");
        }
        await SyncInputs.RequireRepoAsync(x, did);
        var blob = await x.Service<IBlobIndex>().GetAsync(did, cid, x.Aborted);
        var stream = blob is null || blob.TempKey is not null ? null : await x.Service<IBlobStore>().OpenAsync(did, cid, x.Aborted);
        if (stream is null)
        {
            throw XrpcException.BadRequest("BlobNotFound", "Blob not found");
        }
        await using (stream)
        {
            var response = x.Http.Response;
            response.ContentType = blob!.MimeType;
            response.Headers["x-content-type-options"] = "nosniff";
            response.Headers["content-security-policy"] = "default-src 'none'; sandbox";
            response.Headers.AcceptRanges = stream.CanSeek ? "bytes" : "none";
            var range = stream.CanSeek ? RequestedRange(x.Http.Request.Headers.Range.ToString(), blob.Size) : null;
            if (range is { Satisfiable: false })
            {
                response.StatusCode = 416;
                response.Headers.ContentRange = $"bytes */{blob.Size}";
                return;
            }
            if (range is { } r)
            {
                response.StatusCode = 206;
                response.Headers.ContentRange = $"bytes {r.From}-{r.To}/{blob.Size}";
                response.ContentLength = r.To - r.From + 1;
                stream.Seek(r.From, SeekOrigin.Begin);
                await CopyAsync(stream, response.Body, r.To - r.From + 1, x.Aborted);
                return;
            }
            response.StatusCode = 200;
            response.ContentLength = blob.Size;
            await stream.CopyToAsync(response.Body, x.Aborted);
        }
    }

    private sealed record ByteRange(long From, long To, bool Satisfiable);

    /// <summary>One range of "bytes=a-b", "bytes=a-" or "bytes=-n"; null for no, several or malformed ranges (serve it all).</summary>
    private static ByteRange? RequestedRange(string header, long size)
    {
        if (header.Length == 0 || !RangeHeaderValue.TryParse(header, out var parsed)
            || !string.Equals(parsed.Unit, "bytes", StringComparison.OrdinalIgnoreCase) || parsed.Ranges.Count != 1)
        {
            return null;
        }
        var item = parsed.Ranges.Single();
        if (item.From is { } from)
        {
            return from >= size
                ? new ByteRange(0, 0, Satisfiable: false)
                : new ByteRange(from, Math.Min(item.To ?? size - 1, size - 1), Satisfiable: true);
        }
        if (item.To is { } suffix && suffix > 0 && size > 0)
        {
            return new ByteRange(Math.Max(0, size - suffix), size - 1, Satisfiable: true);
        }
        return new ByteRange(0, 0, Satisfiable: false);
    }

    private static async Task CopyAsync(Stream from, Stream to, long count, CancellationToken ct)
    {
        var buffer = new byte[(int)Math.Min(count, 81920)];
        while (count > 0)
        {
            var read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), ct);
            if (read == 0)
            {
                throw new IOException("blob ended before its recorded size");
            }
            await to.WriteAsync(buffer.AsMemory(0, read), ct);
            count -= read;
        }
    }
}
