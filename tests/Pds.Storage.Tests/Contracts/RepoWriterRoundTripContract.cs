using Pds.Core.Crypto;
using Pds.Core.DataModel;
using Pds.Core.Repo;
using Pds.Core.Storage;
using Pds.Core.Syntax;

namespace Pds.Storage.Tests.Contracts;

/// <summary>The real write path over a store: each commit reads the previous tree back through <see cref="IRepoStore.Blocks"/>.</summary>
public abstract class RepoWriterRoundTripContract : ContractTest
{
    private static readonly Nsid Post = Nsid.Parse("app.bsky.feed.post");

    protected abstract Task<IRepoStore> CreateAsync();

    [Fact]
    public async Task ApplyCommit_RepoWriterChain_TreeReadsBackThroughStore()
    {
        var repos = await CreateAsync();
        var did = TestIds.Did();
        using var key = Keypair.Generate(KeyType.Secp256k1);
        var tids = TidGenerator.WithRandomClockId();
        RepoHead? head = null;
        var expected = new SortedDictionary<string, string>(StringComparer.Ordinal);

        for (var round = 0; round < 4; round++)
        {
            var writes = Enumerable.Range(0, 5).Select(i => $"r{round}x{i}")
                .Select(k => RepoWrite.Create(Post, RecordKey.Parse(k), PostRecord(k))).ToList();
            if (round > 0)
            {
                writes.Add(RepoWrite.Delete(Post, RecordKey.Parse($"r{round - 1}x0")));
                expected.Remove($"r{round - 1}x0");
            }
            var result = await RepoWriter.ApplyAsync(repos.Blocks(did), did, head, writes, key, tids);
            await repos.ApplyCommitAsync(did, ToCommitWrite(did, head, result));
            head = result.Head;
            foreach (var w in writes.Where(w => w.Action == WriteAction.Create))
            {
                expected[w.Rkey.ToString()] = w.Rkey.ToString();
            }
        }

        var stored = await repos.GetHeadAsync(did);
        Assert.Equal(head!.CommitCid, stored?.CommitCid);
        Assert.True(RepoCommit.Decode(stored!.CommitBytes).VerifySignature(key.PublicKey));
        var records = await repos.ListRecordsAsync(did, Post.ToString(), 100, null, reverse: false);
        Assert.Equal(expected.Keys, records.Select(r => r.Rkey));
    }

    private static DataMap PostRecord(string text) => DataMap.Create(
        ("$type", DataValue.Of("app.bsky.feed.post")),
        ("text", DataValue.Of(text)),
        ("createdAt", DataValue.Of("2026-01-02T03:04:05.678Z")));

    private static CommitWrite ToCommitWrite(string did, RepoHead? previous, CommitResult result)
    {
        var changes = result.Ops.Select(op =>
        {
            var slash = op.Path.IndexOf('/', StringComparison.Ordinal);
            return new RecordIndexChange(op.Path[..slash], op.Path[(slash + 1)..], op.Cid);
        }).ToList();
        var head = new StoredHead(did, result.CommitCid, result.Rev, result.Commit.Encode());
        return new CommitWrite(previous?.CommitCid, head, result.NewBlocks, changes, Event: null);
    }
}
