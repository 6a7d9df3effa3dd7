using System.Text.Json;
using Pds.Core.Crypto;
using Pds.Core.Repo;
using Pds.Core.Syntax;
using Pds.Core.Tests.Repo;

namespace Pds.Core.Tests.Reference;

/// <summary>Repositories we write must pass the official @atproto/repo verification.</summary>
public class OfficialVerifierTests
{
    [Theory]
    [InlineData(KeyType.Secp256k1, 0)]
    [InlineData(KeyType.Secp256k1, 40)]
    [InlineData(KeyType.P256, 40)]
    public async Task OurCar_VerifiesWithAtprotoRepo(KeyType type, int commits)
    {
        var repo = new RepoWriterTests.Harness(type);
        var post = Nsid.Parse("app.bsky.feed.post");
        var rng = new Random(17);
        var keys = new List<RecordKey>();
        await repo.ApplyAsync(RepoWrite.Create(post, RecordKey.Parse("first"), RepoWriterTests.PostRecord("first")));
        for (var c = 0; c < commits; c++)
        {
            var k = RecordKey.FromTid(repo.Tids.Next());
            keys.Add(k);
            var writes = new List<RepoWrite> { RepoWrite.Create(post, k, RepoWriterTests.PostRecord($"hello {c} 🌍")) };
            if (c % 5 == 4)
            {
                var victim = keys[rng.Next(keys.Count - 1)];
                keys.Remove(victim);
                writes.Add(RepoWrite.Delete(post, victim));
            }
            await repo.ApplyAsync([.. writes]);
        }
        var file = Path.GetTempFileName();
        try
        {
            await using (var stream = File.Create(file))
            {
                await RepoExport.WriteCarAsync(stream, repo.Store, repo.Head!);
            }
            var (code, stdout, stderr) = await NodeScripts.RunAsync("verify-car.mjs", [file, repo.Key.PublicKey.ToDidKey()]);
            Assert.True(code == 0, $"official verifier rejected our CAR: {stdout} {stderr}");
            using var result = JsonDocument.Parse(stdout);
            Assert.True(result.RootElement.GetProperty("sigChecked").GetBoolean());
            Assert.Equal(repo.Head!.CommitCid.ToString(), result.RootElement.GetProperty("commit").GetString());
            var theirs = result.RootElement.GetProperty("records").EnumerateArray()
                .Select(r => (r.GetProperty("path").GetString()!, r.GetProperty("cid").GetString()!)).ToList();
            var ours = repo.Expected.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, e.Value.ToString())).ToList();
            Assert.Equal(ours, theirs);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
