using Pds.Core.Car;
using Pds.Core.Ipld;
using Pds.Core.Repo;
using Pds.Core.Storage;
using Pds.Core.Syntax;
using Pds.Core.Xrpc;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Sync;

/// <summary>
/// The whole repo as a CAR, streamed; with <c>since</c>, only blocks written after that rev.
/// The full export reads the repo's blocks in one pass, then walks the tree so only reachable
/// blocks go out, in commit/node/record order.
/// </summary>
public sealed class GetRepo : IXrpcMethod
{
    public string Nsid => "com.atproto.sync.getRepo";
    public XrpcKind Kind => XrpcKind.Query;

    public async Task HandleAsync(XrpcContext x)
    {
        var did = x.RequiredQuery("did");
        var since = x.Query("since");
        if (since is not null && !Tid.TryParse(since, out _))
        {
            throw XrpcException.InvalidRequest("since must be a TID");
        }
        var (_, head) = await SyncInputs.RequireRepoAsync(x, did);
        var store = x.Service<IRepoStore>();
        x.Http.Response.StatusCode = 200;
        x.Http.Response.ContentType = SyncInputs.CarType;
        var output = x.Http.Response.Body;
        if (since is null)
        {
            // Blocks are never deleted while the head they belong to is readable, so everything
            // the head read above needs is in this listing.
            var blocks = new Dictionary<Cid, ReadOnlyMemory<byte>>();
            await foreach (var (cid, bytes) in store.ListBlocksAsync(did, null, x.Aborted))
            {
                blocks[cid] = bytes;
            }
            await RepoExport.WriteCarAsync(output, blocks, new RepoHead(head.CommitCid, RepoCommit.Decode(head.CommitBytes)), x.Aborted);
            return;
        }
        await using var car = await CarWriter.CreateAsync(output, [head.CommitCid], x.Aborted);
        await foreach (var (cid, bytes) in store.ListBlocksAsync(did, since, x.Aborted))
        {
            await car.WriteBlockAsync(cid, bytes, x.Aborted);
        }
        await car.FlushAsync(x.Aborted);
    }
}
