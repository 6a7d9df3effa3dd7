using System.Text.Json.Nodes;
using Pds.Core.Services;
using Pds.Core.Storage;
using Pds.Core.Xrpc;
using Pds.Functions.Hosting;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Repo;

/// <summary>
/// Streams the body to temporary storage while hashing it. The blob stays temporary until a
/// record references it; the stored type is sniffed from the bytes when recognisable.
/// </summary>
public sealed class UploadBlob : IXrpcMethod
{
    public string Nsid => "com.atproto.repo.uploadBlob";
    public XrpcKind Kind => XrpcKind.Procedure;

    public async Task HandleAsync(XrpcContext x)
    {
        var auth = x.RequireAuth();
        RepoInputs.RequireActive(await x.Service<IAccountStore>().GetByDidAsync(auth.Did, x.Aborted));
        var limit = x.Service<PdsConfig>().BlobUploadLimit;
        if (x.Http.Request.ContentLength > limit)
        {
            throw XrpcException.PayloadTooLarge($"This file is too large. Maximum size: {limit} bytes");
        }
        var store = x.Service<IBlobStore>();
        var index = x.Service<IBlobIndex>();
        TempBlob temp;
        try
        {
            temp = await store.PutTempAsync(x.Http.Request.Body, limit, x.Aborted);
        }
        catch (BlobTooLargeException)
        {
            throw XrpcException.PayloadTooLarge($"This file is too large. Maximum size: {limit} bytes");
        }
        var claimed = x.Http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        var mime = MimeSniffer.Sniff(temp.FirstBytes) ?? (string.IsNullOrEmpty(claimed) || claimed == "*/*" ? "application/octet-stream" : claimed);
        var existing = await index.GetAsync(auth.Did, temp.Cid, x.Aborted);
        if (existing is { TempKey: null })
        {
            // Already permanent: the new upload is redundant.
            await store.DeleteTempAsync(temp.TempKey, x.Aborted);
            mime = existing.MimeType;
        }
        else
        {
            if (existing?.TempKey is { } oldTemp)
            {
                await store.DeleteTempAsync(oldTemp, x.Aborted);
            }
            await index.PutAsync(new BlobRecord(auth.Did, temp.Cid, mime, temp.Size, temp.TempKey, x.Service<TimeProvider>().GetUtcNow()), x.Aborted);
        }
        await x.WriteJsonAsync(new JsonObject
        {
            ["blob"] = new JsonObject
            {
                ["$type"] = "blob",
                ["ref"] = new JsonObject { ["$link"] = temp.Cid.ToString() },
                ["mimeType"] = mime,
                ["size"] = temp.Size,
            },
        });
    }
}
