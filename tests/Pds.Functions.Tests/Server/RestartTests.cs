using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Pds.Core.Car;
using Pds.Core.Identity;
using Pds.Core.Repo;
using Pds.TestSupport;

namespace Pds.Functions.Tests.Server;

/// <summary>
/// <c>pds serve</c> as a real separate process, killed with SIGKILL mid-life and started again
/// on the same data directory: the repo, the sessions and the firehose log survive.
/// </summary>
public sealed class RestartTests(PlcServerFixture plc) : IClassFixture<PlcServerFixture>, IDisposable
{
    private readonly string _root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "pds-restart-" + Guid.NewGuid().ToString("N"))).FullName;
    private readonly int _port = FreePort();

    [Fact]
    public async Task KillNine_ThenRestart_KeepsRepoSessionsAndFirehose()
    {
        TestAccount account;
        List<Frame> before;
        Dictionary<string, string> recordsBefore;
        string lastRev;
        using (var first = await PdsProcess.StartAsync(_root, _port, plc.Url))
        {
            var x = first.Xrpc;
            using var firehose = await FirehoseClient.ConnectAsync(first.BaseUrl, null);
            account = await CreateAccountAsync(x);
            for (var i = 0; i < 5; i++)
            {
                await Post(x, account, $"before {i}");
            }
            before = await firehose.TakeForAsync(account.Did, 4 + 5);
            recordsBefore = await RecordsAsync(x, account.Did);
            // One more write, acknowledged but perhaps not yet sequenced, then SIGKILL at once.
            lastRev = (string)(await Post(x, account, "last words"))["commit"]!["rev"]!;
            first.Kill();
        }

        using var second = await PdsProcess.StartAsync(_root, _port, plc.Url);
        var xrpc = second.Xrpc;

        // The repo: the acknowledged write is there, the export verifies, nothing else changed.
        var head = (await xrpc.GetAsync("com.atproto.sync.getLatestCommit", ("did", account.Did))).Ok().Json;
        Assert.Equal(lastRev, (string?)head["rev"]);
        var recordsAfter = await RecordsAsync(xrpc, account.Did);
        Assert.Equal(recordsBefore.Count + 1, recordsAfter.Count);
        Assert.All(recordsBefore, r => Assert.Equal(r.Value, recordsAfter[r.Key]));

        // The session: the old access token and refresh token still work.
        Assert.Equal(account.Did, (string?)(await xrpc.GetAsync("com.atproto.server.getSession", account.Bearer)).Ok().Json["did"]);
        var refreshed = (await xrpc.PostAsync("com.atproto.server.refreshSession", null, account.RefreshBearer)).Ok().Json;
        var access = XrpcClient.Bearer((string)refreshed["accessJwt"]!);

        // The firehose: replay from before the first event gives the same frames, then the
        // commit that was acknowledged just before the kill.
        using (var replay = await FirehoseClient.ConnectAsync(second.BaseUrl, before[0].Seq - 1))
        {
            var replayed = await replay.TakeForAsync(account.Did, before.Count + 1);
            Assert.Equal(before.Select(f => f.Bytes), replayed.Take(before.Count).Select(f => f.Bytes));
            Assert.Equal(("#commit", lastRev), (replayed[^1].Type, replayed[^1].Str("rev")));
            Assert.Equal(before[^1].Seq + 1, replayed[^1].Seq);
        }

        // New writes get higher seqs, with no gap after the old ones.
        using var live = await FirehoseClient.ConnectAsync(second.BaseUrl, before[^1].Seq);
        var oldTail = await live.NextForAsync(account.Did);
        for (var i = 0; i < 3; i++)
        {
            (await xrpc.PostAsync("com.atproto.repo.createRecord",
                new { repo = account.Did, collection = "app.bsky.feed.post", record = AccountTests.Post($"after {i}") }, access)).Ok();
        }
        var fresh = new List<Frame> { oldTail };
        for (var i = 0; i < 3; i++)
        {
            fresh.Add(await live.NextAsync());
        }
        for (var i = 1; i < fresh.Count; i++)
        {
            Assert.Equal(fresh[i - 1].Seq + 1, fresh[i].Seq);
            Assert.Equal(fresh[i - 1].Str("rev"), fresh[i].Str("since"));
        }
        await CommitFrames.VerifyAsync(fresh[^1], await SigningKeyAsync(account.Did));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<TestAccount> CreateAccountAsync(XrpcClient x)
    {
        var handle = $"restart{Random.Shared.Next(10000, 99999)}.test";
        var json = (await x.PostAsync("com.atproto.server.createAccount",
            new { handle, email = handle + "@example.com", password = PdsServerFixture.Password })).Ok().Json;
        return new TestAccount((string)json["did"]!, handle, (string)json["accessJwt"]!, (string)json["refreshJwt"]!, PdsServerFixture.Password);
    }

    private static async Task<JsonNode> Post(XrpcClient x, TestAccount account, string text) =>
        (await x.PostAsync("com.atproto.repo.createRecord",
            new { repo = account.Did, collection = "app.bsky.feed.post", record = AccountTests.Post(text) }, account.Bearer)).Ok().Json;

    /// <summary>The repo's records (path to CID) from a getRepo export verified with the DID-document key.</summary>
    private async Task<Dictionary<string, string>> RecordsAsync(XrpcClient x, string did)
    {
        var car = CarReader.Read((await x.GetAsync("com.atproto.sync.getRepo", ("did", did))).Ok().Body);
        var repo = await RepoVerifier.VerifyAsync(car, await SigningKeyAsync(did), did);
        return repo.Records.ToDictionary(r => r.Key, r => r.Value.ToString());
    }

    private async Task<Pds.Core.Crypto.PublicKey> SigningKeyAsync(string did)
    {
        using var http = new HttpClient();
        var doc = DidDocument.Parse(await http.GetStringAsync($"{plc.Url.ToString().TrimEnd('/')}/{did}"));
        return doc.SigningKey!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// <c>dotnet pds.dll serve</c> with PDS_* settings (through env, so the child gets them and
    /// nothing else changes); ready once it prints its listening line; disposing kills it at once.
    /// </summary>
    private sealed class PdsProcess : IDisposable
    {
        private readonly ChildProcess _child;
        private readonly HttpClient _http;

        /// <param name="root">The working directory (no appsettings.json); the data lives in root/data.</param>
        private PdsProcess(string root, int port, Uri plcUrl)
        {
            var env = RepoPaths.FindExecutable("env") ?? throw new InvalidOperationException("env is not on PATH");
            var dotnet = RepoPaths.FindExecutable("dotnet") ?? throw new InvalidOperationException("dotnet is not on PATH");
            string[] arguments =
            [
                "PDS_HOSTNAME=localhost",
                "PDS_PORT=" + port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "PDS_DATA_DIRECTORY=" + Path.Combine(root, "data"),
                "PDS_DID_PLC_URL=" + plcUrl.ToString().TrimEnd('/'),
                dotnet, Path.Combine(AppContext.BaseDirectory, "pds.dll"), "serve",
            ];
            _child = new ChildProcess(env, arguments, root, line => line.StartsWith("PDS listening on ", StringComparison.Ordinal) ? line : null);
            BaseUrl = new Uri($"http://127.0.0.1:{port}/");
            _http = new HttpClient { BaseAddress = BaseUrl };
            Xrpc = new XrpcClient(_http);
        }

        public Uri BaseUrl { get; }
        public XrpcClient Xrpc { get; }

        public static async Task<PdsProcess> StartAsync(string root, int port, Uri plcUrl)
        {
            var process = new PdsProcess(root, port, plcUrl);
            try
            {
                await process._child.WaitReadyAsync(TimeSpan.FromSeconds(60));
            }
            catch
            {
                process.Dispose();
                throw;
            }
            return process;
        }

        /// <summary>SIGKILL, the whole tree (env exec'd dotnet, so that is the server): no shutdown hooks run.</summary>
        public void Kill() => _child.Dispose();

        public void Dispose()
        {
            _http.Dispose();
            _child.Dispose();
        }
    }
}
