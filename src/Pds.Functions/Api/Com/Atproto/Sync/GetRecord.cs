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
        var commit = RepoCommit.Decode(head.CommitBytes);
        var tree = await Pds.Core.Mst.Mst.LoadAsync(store, commit.Data, x.Aborted);
        var path = $"{collection}/{rkey}";
        var blocks = new List<CarBlock> { new(head.CommitCid, head.CommitBytes) };
        foreach (var cid in await MstProof.SearchPathAsync(tree, path, x.Aborted))
        {
            blocks.Add(new CarBlock(cid, await GetAsync(store, cid, x.Aborted)));
        }
        if (await tree.GetAsync(path, x.Aborted) is { } recordCid)
        {
            blocks.Add(new CarBlock(recordCid, await GetAsync(store, recordCid, x.Aborted)));
        }
        await x.WriteBytesAsync(SyncInputs.CarType, CarWriter.ToBytes([head.CommitCid], blocks));
    }

    private static async Task<ReadOnlyMemory<byte>> GetAsync(IBlockReader store, Cid cid, CancellationToken ct) =>
        await store.GetBlockAsync(cid, ct) ?? throw new MissingBlockException(cid, "sync.getRecord");
}
