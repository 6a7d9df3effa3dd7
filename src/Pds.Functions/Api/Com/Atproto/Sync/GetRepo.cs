using Pds.Core.Car;
using Pds.Core.Storage;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Sync;

/// <summary>
/// The whole repo as a CAR, streamed; with <c>since</c>, only blocks written after that rev.
/// Commits delete what their head stops reaching, so the store's blocks are the repo: they
/// stream out as stored, read in one snapshot with the head that is the CAR's root.
/// </summary>
public sealed class GetRepo : IXrpcMethod
{
    public string Nsid => "com.atproto.sync.getRepo";
    public XrpcKind Kind => XrpcKind.Query;

    public async Task HandleAsync(XrpcContext x)
    {
        var did = x.RequiredQuery("did");
        var since = SyncInputs.OptionalSince(x);
        await SyncInputs.RequireAccountAsync(x, did);
        await using var snapshot = await x.Service<IRepoStore>().OpenSnapshotAsync(did, since, x.Aborted)
            ?? throw SyncInputs.RepoNotFound(did);
        x.Http.Response.StatusCode = 200;
        x.Http.Response.ContentType = SyncInputs.CarType;
        await using var car = await CarWriter.CreateAsync(x.Http.Response.Body, [snapshot.Head.CommitCid], x.Aborted);
        await foreach (var (cid, bytes) in snapshot.Blocks.WithCancellation(x.Aborted))
        {
            await car.WriteBlockAsync(cid, bytes, x.Aborted);
        }
        await car.FlushAsync(x.Aborted);
    }
}
