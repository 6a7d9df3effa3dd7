using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Pds.Core.Crypto;
using Pds.Core.Identity;
using Pds.Functions.Hosting;
using Pds.Functions.Xrpc;
using Pds.TestSupport;

namespace Pds.Functions.Tests.Server;

/// <summary>
/// A real PDS over real HTTP: a PLC directory from npm (@did-plc/server), then the PDS host on
/// a free loopback port with a fresh data directory. Shared by a test class; every test makes
/// its own accounts.
/// </summary>
public class PdsServerFixture : IAsyncLifetime
{
    public const string Password = "correct horse battery staple";
    private readonly PlcServerFixture _plc = new();
    private WebApplication? _app;
    private int _accounts;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "pds-test-" + Guid.NewGuid().ToString("N"));
    public PdsConfig Config { get; private set; } = null!;
    public PdsSecrets Secrets { get; private set; } = null!;
    public Uri BaseUrl { get; private set; } = null!;
    public Uri PlcUrl => _plc.Url;
    public HttpClient Http { get; private set; } = null!;
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("the PDS is not running");
    public XrpcClient Xrpc { get; private set; } = null!;

    /// <summary>HTTP Basic admin:&lt;admin password&gt;.</summary>
    public AuthenticationHeaderValue Admin => AuthenticationHeaderValue.Parse(AdminAuth.Header(Secrets.AdminPassword));

    public virtual async Task InitializeAsync()
    {
        await _plc.InitializeAsync();
        await StartAsync();
    }

    /// <summary>Starts (or restarts) the PDS on the same data directory and port.</summary>
    public async Task StartAsync()
    {
        Config ??= Configure(new PdsConfig
        {
            Hostname = "localhost",
            Port = FreePort(),
            DataDirectory = DataDirectory,
            BlobstoreDirectory = Path.Combine(DataDirectory, "blobs"),
            PlcUrl = _plc.Url.ToString().TrimEnd('/'),
            ServiceHandleDomains = [".test"],
            BlobUploadLimit = 5 * 1024 * 1024,
        });
        Secrets = PdsSecrets.Resolve(Config);
        await OnStartingAsync();
        _app = await PdsHost.BuildAsync(Config, Secrets);
        await _app.StartAsync();
        BaseUrl = new Uri($"http://127.0.0.1:{Config.Port}/");
        Http?.Dispose();
        Http = new HttpClient { BaseAddress = BaseUrl };
        Xrpc = new XrpcClient(Http);
    }

    /// <summary>Variants (invites required, rate limits on, Functions host) adjust the configuration here.</summary>
    protected virtual PdsConfig Configure(PdsConfig config) => config;

    /// <summary>Variants that run more processes (a relay's api behind it) start them here, before the PDS itself.</summary>
    protected virtual Task OnStartingAsync() => Task.CompletedTask;

    /// <summary>Stops what <see cref="OnStartingAsync"/> started, after the PDS itself stopped.</summary>
    protected virtual Task OnStoppedAsync() => Task.CompletedTask;

    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
        await OnStoppedAsync();
    }

    /// <summary>A handle no other account of this fixture has (label at most 18 characters).</summary>
    public string NewHandle(string? prefix = null) =>
        $"{prefix ?? "user"}{Interlocked.Increment(ref _accounts)}x{Random.Shared.Next(1000, 9999)}.test";

    /// <summary>A new account with a unique handle; returns its DID, handle and tokens.</summary>
    public async Task<TestAccount> CreateAccountAsync(string? prefix = null, string? inviteCode = null)
    {
        var handle = NewHandle(prefix);
        var response = await Xrpc.PostAsync("com.atproto.server.createAccount",
            new JsonObject { ["handle"] = handle, ["email"] = $"{handle}@example.com", ["password"] = Password, ["inviteCode"] = inviteCode });
        if (!response.Status.Equals(HttpStatusCode.OK))
        {
            throw new InvalidOperationException($"createAccount failed: {response.Code} {response.Text}");
        }
        var json = response.Json;
        return new TestAccount((string)json["did"]!, handle, (string)json["accessJwt"]!, (string)json["refreshJwt"]!, Password);
    }

    /// <summary>com.atproto.repo.createRecord as <paramref name="account"/>.</summary>
    public Task<XrpcResponse> CreateRecordAsync(TestAccount account, string collection, JsonObject record, string? rkey = null) =>
        Xrpc.PostAsync("com.atproto.repo.createRecord",
            new JsonObject { ["repo"] = account.Did, ["collection"] = collection, ["rkey"] = rkey, ["record"] = record }, account.Bearer);

    /// <summary>Creates an app.bsky.feed.post; returns the createRecord output (uri, cid, commit).</summary>
    public async Task<JsonNode> PostAsync(TestAccount account, string text) =>
        (await CreateRecordAsync(account, "app.bsky.feed.post", new JsonObject { ["text"] = text, ["createdAt"] = "2026-01-01T00:00:00.000Z" })).Ok().Json;

    /// <summary>com.atproto.admin.updateSubjectStatus on an account's repo, as the admin.</summary>
    public Task<XrpcResponse> TakedownAsync(string did, bool applied) =>
        Xrpc.PostAsync("com.atproto.admin.updateSubjectStatus", new JsonObject
        {
            ["subject"] = new JsonObject { ["$type"] = "com.atproto.admin.defs#repoRef", ["did"] = did },
            ["takedown"] = new JsonObject { ["applied"] = applied, ["ref"] = "test" },
        }, Admin);

    /// <summary>The account's DID document, as the PLC directory serves it now.</summary>
    public async Task<DidDocument> DidDocumentAsync(string did)
    {
        using var plc = new HttpClient();
        return DidDocument.Parse(await plc.GetStringAsync($"{PlcUrl.ToString().TrimEnd('/')}/{did}"));
    }

    /// <summary>The account's repo signing key, from its DID document.</summary>
    public async Task<PublicKey> SigningKeyAsync(string did) =>
        (await DidDocumentAsync(did)).SigningKey ?? throw new InvalidOperationException($"no signing key in the DID document of {did}");

    /// <summary>A firehose subscription (live when <paramref name="cursor"/> is null).</summary>
    public Task<FirehoseClient> SubscribeAsync(long? cursor = null) => FirehoseClient.ConnectAsync(BaseUrl, cursor);

    public virtual async Task DisposeAsync()
    {
        await StopAsync();
        Http?.Dispose();
        await _plc.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record TestAccount(string Did, string Handle, string AccessJwt, string RefreshJwt, string Password)
{
    public AuthenticationHeaderValue Bearer => XrpcClient.Bearer(AccessJwt);
    public AuthenticationHeaderValue RefreshBearer => XrpcClient.Bearer(RefreshJwt);
}
