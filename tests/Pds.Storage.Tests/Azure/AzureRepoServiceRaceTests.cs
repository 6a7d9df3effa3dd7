using System.Security.Cryptography;
using Pds.Azure.Adapters.BlobIndex;
using Pds.Azure.Adapters.Blobs;
using Pds.Azure.Adapters.Keys;
using Pds.Azure.Adapters.Repos;
using Pds.Azure.Storage;
using Pds.Core.DataModel;
using Pds.Core.Ipld;
using Pds.Core.Repo;
using Pds.Core.Services;
using Pds.Core.Storage;
using Pds.Core.Syntax;
using Pds.Storage.Tests.Contracts;
using Pds.TestSupport;

namespace Pds.Storage.Tests.Azure;

/// <summary>
/// Two processes (two services, each with its own store and block cache) writing one repository
/// at once. A commit deletes the nodes it replaced, so the slower writer can find blocks of the
/// tree it is editing already gone: that must become a rebuild on the new head, never an error.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureRepoServiceRaceTests(AzuriteFixture azurite)
{
    private static readonly Nsid Post = Nsid.Parse("app.bsky.feed.post");

    [Fact]
    public async Task Apply_TwoProcessesCreateAndDeleteOnOneRepo_EveryWriteLandsAndNothingDangles()
    {
        var repos = await AzureTables.CreateAsync(azurite, "repos");
        var keysTable = await AzureTables.CreateAsync(azurite, "keys");
        var blobIndex = await AzureTables.CreateAsync(azurite, "blobindex");
        var blobs = new BlobClient(azurite.Connection, AzuriteFixture.UniqueName("blobs-"));
        await blobs.CreateContainerIfNotExistsAsync();
        var kek = RandomNumberGenerator.GetBytes(32);
        RepoService Process(out IRepoStore store)
        {
            store = new AzureRepoStore(AzureTables.Reopen(azurite, repos), new AzureRepoStoreOptions { Cache = new BlockCache(1 << 24) });
            return new RepoService(
                store, new SealedKeyStore(AzureTables.Reopen(azurite, keysTable), kek), new AzureBlobStore(blobs),
                new AzureBlobIndex(AzureTables.Reopen(azurite, blobIndex)), new NoSignal(), TidGenerator.WithRandomClockId(), TimeProvider.System);
        }
        var a = Process(out var storeA);
        var b = Process(out _);
        var did = TestIds.Did();
        await new SealedKeyStore(AzureTables.Reopen(azurite, keysTable), kek).CreateAsync(did);
        await a.CreateRepoAsync(did);

        async Task<List<string>> WriterAsync(RepoService service, string name)
        {
            var kept = new List<string>();
            for (var i = 0; i < 15; i++)
            {
                var rkey = $"{name}{i:D2}";
                await service.ApplyAsync(did, new WriteRequest([RepoWrite.Create(Post, RecordKey.Parse(rkey), Record(rkey))]));
                if (i % 3 == 2)
                {
                    // Deleting replaces nodes the other process may be reading right now.
                    await service.ApplyAsync(did, new WriteRequest([RepoWrite.Delete(Post, RecordKey.Parse(rkey))]));
                }
                else
                {
                    kept.Add(rkey);
                }
            }
            return kept;
        }
        var results = await Task.WhenAll(WriterAsync(a, "a"), WriterAsync(b, "b"));

        var head = await storeA.GetHeadAsync(did);
        var snapshot = (await Snapshots.ReadAsync(storeA, did, null))!.Value;
        var listed = await storeA.ListRecordsAsync(did, Post.ToString(), 100, null, reverse: false);
        Assert.Equal(results.SelectMany(r => r).Order(StringComparer.Ordinal), listed.Select(r => r.Rkey));
        Assert.Equal(head!.CommitCid, snapshot.Head.CommitCid);
        // Every record of the head is in the export (the walk inside the snapshot would have thrown otherwise).
        Assert.All(listed, r => Assert.Contains(r.Cid, snapshot.Blocks.Keys));
    }

    private static DataMap Record(string text) => DataMap.Create(
        ("$type", DataValue.Of("app.bsky.feed.post")), ("text", DataValue.Of(text)), ("createdAt", DataValue.Of("2026-11-22T00:00:00.000Z")));

    private sealed class NoSignal : ISequencerSignal
    {
        public ValueTask NotifyAsync(string did, CancellationToken ct = default) => ValueTask.CompletedTask;
    }
}
