using Pds.Core.Ipld;
using Pds.Core.Storage;
using Pds.Core.Xrpc;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Sync;

/// <summary>Serves blob bytes with headers that stop browsers from rendering them as a page of this origin.</summary>
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
            response.StatusCode = 200;
            response.ContentType = blob!.MimeType;
            response.ContentLength = blob.Size;
            response.Headers["x-content-type-options"] = "nosniff";
            response.Headers["content-security-policy"] = "default-src 'none'; sandbox";
            await stream.CopyToAsync(response.Body, x.Aborted);
        }
    }
}
