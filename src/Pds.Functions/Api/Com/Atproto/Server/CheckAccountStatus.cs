using System.Text.Json.Nodes;
using Pds.Core.Storage;
using Pds.Functions.Xrpc;

namespace Pds.Functions.Api.Com.Atproto.Server;

/// <summary>What a migrating or returning account needs to know about its repo here.</summary>
public sealed class CheckAccountStatus : IXrpcMethod
{
    public string Nsid => "com.atproto.server.checkAccountStatus";
    public XrpcKind Kind => XrpcKind.Query;

    public async Task HandleAsync(XrpcContext x)
    {
        var auth = x.RequireAuth();
        var account = await x.Service<Pds.Core.Storage.IAccountStore>().GetByDidAsync(auth.Did, x.Aborted);
        var repos = x.Service<IRepoStore>();
        long blocks = 0;
        StoredHead? head = null;
        await using (var snapshot = await repos.OpenSnapshotAsync(auth.Did, null, x.Aborted))
        {
            if (snapshot is not null)
            {
                head = snapshot.Head;
                await foreach (var _ in snapshot.Blocks.WithCancellation(x.Aborted))
                {
                    blocks++;
                }
            }
        }
        var records = 0;
        foreach (var collection in await repos.ListCollectionsAsync(auth.Did, x.Aborted))
        {
            string? cursor = null;
            while (true)
            {
                var page = await repos.ListRecordsAsync(auth.Did, collection, 1000, cursor, false, x.Aborted);
                records += page.Count;
                if (page.Count < 1000)
                {
                    break;
                }
                cursor = page[^1].Rkey;
            }
        }
        var blobs = await x.Service<IBlobIndex>().ListAsync(auth.Did, 100_000, null, ct: x.Aborted);
        var missing = await x.Service<IBlobIndex>().ListMissingAsync(auth.Did, 100_000, null, x.Aborted);
        await x.WriteJsonAsync(new JsonObject
        {
            ["activated"] = account?.Status == AccountStatus.Active,
            ["validDid"] = true,
            ["repoCommit"] = head?.CommitCid.ToString(),
            ["repoRev"] = head?.Rev,
            ["repoBlocks"] = blocks,
            ["indexedRecords"] = records,
            ["privateStateValues"] = 0,
            ["expectedBlobs"] = blobs.Count + missing.Count,
            ["importedBlobs"] = blobs.Count,
        });
    }
}
