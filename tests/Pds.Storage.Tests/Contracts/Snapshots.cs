using Pds.Core.Ipld;
using Pds.Core.Storage;

namespace Pds.Storage.Tests.Contracts;

/// <summary>Reads a repository snapshot whole, checking no block is listed twice.</summary>
public static class Snapshots
{
    public static async Task<(StoredHead Head, Dictionary<Cid, byte[]> Blocks)?> ReadAsync(IRepoStore repos, string did, string? sinceRev)
    {
        await using var snapshot = await repos.OpenSnapshotAsync(did, sinceRev);
        if (snapshot is null)
        {
            return null;
        }
        return (snapshot.Head, await CollectAsync(snapshot.Blocks));
    }

    public static async Task<Dictionary<Cid, byte[]>> CollectAsync(IAsyncEnumerable<KeyValuePair<Cid, ReadOnlyMemory<byte>>> blocks)
    {
        var all = new Dictionary<Cid, byte[]>();
        await foreach (var (cid, bytes) in blocks)
        {
            Assert.True(all.TryAdd(cid, bytes.ToArray()), $"block {cid} listed twice");
        }
        return all;
    }
}
