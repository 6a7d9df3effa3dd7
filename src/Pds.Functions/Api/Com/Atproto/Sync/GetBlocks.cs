using Pds.Core.Car;
using Pds.Core.Ipld;
using Pds.Core.Storage;
using Pds.Core.Xrpc;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Sync;

public sealed class GetBlocks : IXrpcMethod
{
    public const int MaxCids = 1000;

    public string Nsid => "com.atproto.sync.getBlocks";
    public XrpcKind Kind => XrpcKind.Query;

    public async Task HandleAsync(XrpcContext x)
    {
        var did = x.RequiredQuery("did");
        var raw = x.QueryAll("cids");
        if (raw.Count > MaxCids)
        {
            throw XrpcException.InvalidRequest($"at most {MaxCids} cids");
        }
        var cids = raw.Select(c => Cid.TryParse(c, out var cid) ? cid : throw XrpcException.InvalidRequest($"invalid CID: {c}")).ToList();
        await SyncInputs.RequireRepoAsync(x, did);
        var store = x.Service<IRepoStore>().Blocks(did);
        var blocks = new List<CarBlock>();
        var missing = new List<string>();
        foreach (var cid in cids)
        {
            if (await store.GetBlockAsync(cid, x.Aborted) is { } bytes)
            {
                blocks.Add(new CarBlock(cid, bytes));
            }
            else
            {
                missing.Add(cid.ToString());
            }
        }
        if (missing.Count > 0)
        {
            throw XrpcException.BadRequest("BlockNotFound", $"Could not find cids: {string.Join(", ", missing)}");
        }
        await x.WriteBytesAsync(SyncInputs.CarType, CarWriter.ToBytes([], blocks));
    }
}
