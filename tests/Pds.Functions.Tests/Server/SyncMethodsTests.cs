using System.Text.Json.Nodes;
using Pds.Core.Car;
using Pds.Core.Ipld;
using Pds.Core.Repo;
using Pds.Core.Syntax;

namespace Pds.Functions.Tests.Server;

/// <summary>com.atproto.sync.*: latest commit, repo export, record proofs, blocks, repo listing and status.</summary>
public class SyncMethodsTests(PdsServerFixture server) : IClassFixture<PdsServerFixture>
{
    private const string Posts = "app.bsky.feed.post";
    private XrpcClient Xrpc => server.Xrpc;

    [Fact]
    public async Task GetLatestCommit_FollowsWrites()
    {
        var account = await server.CreateAccountAsync("latest");
        var post = await server.PostAsync(account, "x");
        var json = (await Xrpc.GetAsync("com.atproto.sync.getLatestCommit", ("did", account.Did))).Ok().Json;
        Assert.Equal((string?)post["commit"]!["cid"], (string?)json["cid"]);
        Assert.Equal((string?)post["commit"]!["rev"], (string?)json["rev"]);

        (await Xrpc.GetAsync("com.atproto.sync.getLatestCommit", ("did", "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa"))).Fails(400, "RepoNotFound");
        (await Xrpc.GetAsync("com.atproto.sync.getLatestCommit", ("did", "alice.test"))).Fails(400, "InvalidRequest");
        (await Xrpc.GetAsync("com.atproto.sync.getLatestCommit")).Fails(400, "InvalidRequest");
    }

    [Fact]
    public async Task GetRepo_VerifiesWithTheAccountKeyAndSinceIsADiff()
    {
        var account = await server.CreateAccountAsync("getrepo");
        var key = await server.SigningKeyAsync(account.Did);
        var first = await server.PostAsync(account, "first");
        var profile = (await server.CreateRecordAsync(account, "app.bsky.actor.profile", new JsonObject { ["displayName"] = "P" }, "self")).Ok().Json;
        var last = await server.PostAsync(account, "last");

        var response = (await Xrpc.GetAsync("com.atproto.sync.getRepo", ("did", account.Did))).Ok();
        Assert.Equal("application/vnd.ipld.car", response.MediaType);
        var repo = await RepoVerifier.VerifyAsync(CarReader.Read(response.Body), key, account.Did);
        Assert.Equal((string?)last["commit"]!["cid"], repo.CommitCid.ToString());
        var records = repo.Records.ToDictionary(r => r.Key, r => r.Value.ToString());
        Assert.Equal(3, records.Count);
        Assert.Equal((string?)first["cid"], records[Path(first)]);
        Assert.Equal((string?)profile["cid"], records["app.bsky.actor.profile/self"]);
        Assert.Equal((string?)last["cid"], records[Path(last)]);

        // since: only what was written after that rev, rooted at the current commit.
        var since = (string)first["commit"]!["rev"]!;
        var diff = CarReader.Read((await Xrpc.GetAsync("com.atproto.sync.getRepo", ("did", account.Did), ("since", since))).Ok().Body);
        Assert.Equal([repo.CommitCid], diff.Roots);
        Assert.True(diff.TryGetBlock(repo.CommitCid, out _));
        Assert.True(diff.TryGetBlock(Cid.Parse((string)last["cid"]!), out _));
        Assert.True(diff.TryGetBlock(Cid.Parse((string)profile["cid"]!), out _));
        Assert.False(diff.TryGetBlock(Cid.Parse((string)first["cid"]!), out _));
        var latestRev = (string)last["commit"]!["rev"]!;
        var empty = CarReader.Read((await Xrpc.GetAsync("com.atproto.sync.getRepo", ("did", account.Did), ("since", latestRev))).Ok().Body);
        Assert.Empty(empty.Blocks);

        (await Xrpc.GetAsync("com.atproto.sync.getRepo", ("did", account.Did), ("since", "yesterday"))).Fails(400, "InvalidRequest");
        (await Xrpc.GetAsync("com.atproto.sync.getRepo", ("did", "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa"))).Fails(400, "RepoNotFound");
    }

    [Fact]
    public async Task GetRecord_ProofShowsPresenceAndAbsence()
    {
        var account = await server.CreateAccountAsync("proof");
        var key = await server.SigningKeyAsync(account.Did);
        // Enough keys for a tree with more than one level.
        var writes = Enumerable.Range(0, 150).Select(i => RepoMethodsTests.CreateWrite(Tid.FromParts(1_700_000_000_000_000 + i * 1000L, 1).ToString())).ToArray();
        var batch = (await Xrpc.PostAsync("com.atproto.repo.applyWrites", new { repo = account.Did, writes }, account.Bearer)).Ok().Json;
        var rkey = (string)writes[77]["rkey"]!;
        var recordCid = Cid.Parse((string)batch["results"]![77]!["cid"]!);
        var fullRepo = CarReader.Read((await Xrpc.GetAsync("com.atproto.sync.getRepo", ("did", account.Did))).Ok().Body);

        var proof = await Proof(account.Did, Posts, rkey);
        var commitCid = Assert.Single(proof.Roots);
        Assert.Equal((string?)batch["commit"]!["cid"], commitCid.ToString());
        Assert.True(proof.TryGetBlock(commitCid, out var commitBytes));
        var commit = RepoCommit.Decode(commitBytes.Span);
        Assert.True(commit.VerifySignature(key));
        Assert.True(proof.TryGetBlock(recordCid, out _), "the record block is missing");
        // The path nodes alone lead from the signed root to the record.
        var tree = await Pds.Core.Mst.Mst.LoadAsync(new CarBlockReader(proof), commit.Data);
        Assert.Equal(recordCid, await tree.GetAsync($"{Posts}/{rkey}"));
        Assert.True(proof.Blocks.Count < fullRepo.Blocks.Count / 4, $"a proof of {proof.Blocks.Count} blocks is not a path");

        // Absence: the same walk ends without the key, and no record block is included.
        var absent = await Proof(account.Did, Posts, "3zzzzzzzzzzz2");
        var absentCommit = RepoCommit.Decode(absent.Blocks[absent.Roots[0]].Span);
        var absentTree = await Pds.Core.Mst.Mst.LoadAsync(new CarBlockReader(absent), absentCommit.Data);
        Assert.Null(await absentTree.GetAsync($"{Posts}/3zzzzzzzzzzz2"));
        Assert.All(absent.Blocks.Keys, cid => Assert.NotEqual(recordCid, cid));

        (await Xrpc.GetAsync("com.atproto.sync.getRecord", ("did", account.Did), ("collection", Posts), ("rkey", "bad/rkey"))).Fails(400, "InvalidRequest");
        (await Xrpc.GetAsync("com.atproto.sync.getRecord", ("did", account.Did), ("collection", Posts))).Fails(400, "InvalidRequest");
    }

    [Fact]
    public async Task GetBlocks_ReturnsRequestedBlocksOrBlockNotFound()
    {
        var account = await server.CreateAccountAsync("blocks");
        var post = await server.PostAsync(account, "block me");
        var commitCid = (string)post["commit"]!["cid"]!;
        var recordCid = (string)post["cid"]!;
        var car = CarReader.Read((await Xrpc.GetAsync("com.atproto.sync.getBlocks", ("did", account.Did), ("cids", commitCid), ("cids", recordCid))).Ok().Body);
        Assert.Equal(2, car.Blocks.Count);
        Assert.True(car.TryGetBlock(Cid.Parse(commitCid), out var commit));
        Assert.Equal(account.Did, RepoCommit.Decode(commit.Span).Did);
        Assert.True(car.TryGetBlock(Cid.Parse(recordCid), out _));

        var missing = Cid.ForDagCbor([0xa0]).ToString();
        (await Xrpc.GetAsync("com.atproto.sync.getBlocks", ("did", account.Did), ("cids", recordCid), ("cids", missing))).Fails(400, "BlockNotFound");
        (await Xrpc.GetAsync("com.atproto.sync.getBlocks", ("did", account.Did), ("cids", "bafy-not-a-cid"))).Fails(400, "InvalidRequest");
        // Blocks of another repo are not served under this DID.
        var other = await server.CreateAccountAsync("otherblk");
        (await Xrpc.GetAsync("com.atproto.sync.getBlocks", ("did", other.Did), ("cids", recordCid))).Fails(400, "BlockNotFound");
    }

    [Fact]
    public async Task ListRepos_PagesOverEveryRepoOnce()
    {
        var created = new List<TestAccount>();
        for (var i = 0; i < 3; i++)
        {
            created.Add(await server.CreateAccountAsync("listrepo"));
        }
        var seen = await Xrpc.PageAllAsync("com.atproto.sync.listRepos", "repos", ("limit", "2"));
        var dids = seen.Select(r => (string)r["did"]!).ToList();
        Assert.Equal(dids.Distinct().Count(), dids.Count);
        foreach (var account in created)
        {
            var entry = Assert.Single(seen, r => (string?)r["did"] == account.Did);
            var head = (await Xrpc.GetAsync("com.atproto.sync.getLatestCommit", ("did", account.Did))).Ok().Json;
            Assert.Equal((string?)head["cid"], (string?)entry["head"]);
            Assert.Equal((string?)head["rev"], (string?)entry["rev"]);
            Assert.True((bool)entry["active"]!);
        }
        (await Xrpc.GetAsync("com.atproto.sync.listRepos", ("limit", "1001"))).Fails(400, "InvalidRequest");
    }

    [Fact]
    public async Task GetRepoStatus_ActiveRepo()
    {
        var account = await server.CreateAccountAsync("status");
        var post = await server.PostAsync(account, "x");
        var json = (await Xrpc.GetAsync("com.atproto.sync.getRepoStatus", ("did", account.Did))).Ok().Json;
        Assert.Equal(account.Did, (string?)json["did"]);
        Assert.True((bool)json["active"]!);
        Assert.Null(json["status"]);
        Assert.Equal((string?)post["commit"]!["rev"], (string?)json["rev"]);
        (await Xrpc.GetAsync("com.atproto.sync.getRepoStatus", ("did", "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa"))).Fails(400, "RepoNotFound");
    }

    [Fact]
    public async Task InactiveRepos_AnswerWithTheirStatus()
    {
        var deactivated = await server.CreateAccountAsync("inactive");
        var post = await server.PostAsync(deactivated, "x");
        (await Xrpc.PostAsync("com.atproto.server.deactivateAccount", new { }, deactivated.Bearer)).Ok();
        var takendown = await server.CreateAccountAsync("takendown");
        (await server.TakedownAsync(takendown.Did, true)).Ok();

        foreach (var (account, error) in new[] { (deactivated, "RepoDeactivated"), (takendown, "RepoTakendown") })
        {
            var did = account.Did;
            (await Xrpc.GetAsync("com.atproto.sync.getLatestCommit", ("did", did))).Fails(400, error);
            (await Xrpc.GetAsync("com.atproto.sync.getRepo", ("did", did))).Fails(400, error);
            (await Xrpc.GetAsync("com.atproto.sync.getRecord", ("did", did), ("collection", Posts), ("rkey", "3aaaaaaaaaaa2"))).Fails(400, error);
            (await Xrpc.GetAsync("com.atproto.sync.getBlocks", ("did", did), ("cids", (string)post["cid"]!))).Fails(400, error);
            (await Xrpc.GetAsync("com.atproto.sync.listBlobs", ("did", did))).Fails(400, error);
            (await Xrpc.GetAsync("com.atproto.sync.getBlob", ("did", did), ("cid", Cid.ForRaw([1]).ToString()))).Fails(400, error);
            var status = (await Xrpc.GetAsync("com.atproto.sync.getRepoStatus", ("did", did))).Ok().Json;
            Assert.False((bool)status["active"]!);
            Assert.Equal(error == "RepoDeactivated" ? "deactivated" : "takendown", (string?)status["status"]);
            (await Xrpc.GetAsync("com.atproto.repo.describeRepo", ("repo", did))).Fails(400, "RepoNotFound");
            (await Xrpc.GetAsync("com.atproto.repo.getRecord", ("repo", did), ("collection", Posts), ("rkey", Path(post).Split('/')[1]))).Fails(400, "RecordNotFound");
        }
        var listed = (await Xrpc.GetAsync("com.atproto.sync.listRepos", ("limit", "1000"))).Ok().Json["repos"]!.AsArray();
        var entry = Assert.Single(listed, r => (string?)r!["did"] == takendown.Did)!;
        Assert.False((bool)entry["active"]!);
        Assert.Equal("takendown", (string?)entry["status"]);
    }

    private async Task<CarFile> Proof(string did, string collection, string rkey)
    {
        var response = (await Xrpc.GetAsync("com.atproto.sync.getRecord", ("did", did), ("collection", collection), ("rkey", rkey))).Ok();
        Assert.Equal("application/vnd.ipld.car", response.MediaType);
        return CarReader.Read(response.Body);
    }

    private static string Path(JsonNode createOutput)
    {
        var parts = ((string)createOutput["uri"]!).Split('/');
        return $"{parts[^2]}/{parts[^1]}";
    }
}
