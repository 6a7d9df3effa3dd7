using Pds.Core.Car;
using Pds.Core.Ipld;
using Pds.Core.Mst;
using Pds.Core.Repo;
using Pds.Core.Storage;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Sync;

/// <summary>A proof CAR for one record: the commit, the tree nodes on the key's path, and the record if present.</summary>
public sealed class GetRecord : IXrpcMethod
{
    public string Nsid => "com.atproto.sync.getRecord";
    public XrpcKind Kind => XrpcKind.Query;

    public async Task HandleAsync(XrpcContext x)
    {
        var did = x.RequiredQuery("did");
        var collection = RepoInputs.Collection(x.RequiredQuery("collection"));
        var rkey = RepoInputs.Rkey(x.RequiredQuery("rkey"));
        var (_, head) = await SyncInputs.RequireRepoAsync(x, did);
        var store = x.Service<IRepoStore>().Blocks(did);
        var path = $"{collection}/{rkey}";
        var car = await SyncInputs.ReadFromHeadAsync(x, did, head, h => ProofAsync(store, h, path, x.Aborted));
        await x.WriteBytesAsync(SyncInputs.CarType, car);
    }

    private static async Task<byte[]> ProofAsync(IBlockReader store, StoredHead head, string path, CancellationToken ct)
    {
        var tree = await Pds.Core.Mst.Mst.LoadAsync(store, RepoCommit.Decode(head.CommitBytes).Data, ct);
        var blocks = new List<CarBlock> { new(head.CommitCid, head.CommitBytes) };
        foreach (var cid in await MstProof.SearchPathAsync(tree, path, ct))
        {
            blocks.Add(new CarBlock(cid, await GetAsync(store, cid, ct)));
        }
        if (await tree.GetAsync(path, ct) is { } recordCid)
        {
            blocks.Add(new CarBlock(recordCid, await GetAsync(store, recordCid, ct)));
        }
        return CarWriter.ToBytes([head.CommitCid], blocks);
    }

    private static async Task<ReadOnlyMemory<byte>> GetAsync(IBlockReader store, Cid cid, CancellationToken ct) =>
        await store.GetBlockAsync(cid, ct) ?? throw new MissingBlockException(cid, "sync.getRecord");
}
