using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Pds.Functions.Hosting;
using Pds.TestSupport;

namespace Pds.Functions.Tests.Server;

/// <summary>
/// A real PDS over real HTTP: a PLC directory from npm (@did-plc/server), then the PDS host on
/// a free loopback port with a fresh data directory. Shared by a test class; every test makes
/// its own accounts.
/// </summary>
public class PdsServerFixture : IAsyncLifetime
{
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

    public async Task InitializeAsync()
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
        _app = await PdsHost.BuildAsync(Config, Secrets);
        await _app.StartAsync();
        BaseUrl = new Uri($"http://127.0.0.1:{Config.Port}/");
        Http?.Dispose();
        Http = new HttpClient { BaseAddress = BaseUrl };
    }

    /// <summary>Variants (invites required, rate limits on) adjust the configuration here.</summary>
    protected virtual PdsConfig Configure(PdsConfig config) => config;

    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    /// <summary>A new account with a unique handle; returns its DID, handle and access token.</summary>
    public async Task<TestAccount> CreateAccountAsync(string? prefix = null)
    {
        var n = Interlocked.Increment(ref _accounts);
        var handle = $"{prefix ?? "user"}{n}x{Random.Shared.Next(1000, 9999)}.test";
        var response = await Http.PostAsJsonAsync("xrpc/com.atproto.server.createAccount",
            new { handle, email = $"{handle}@example.com", password = "correct horse battery staple" });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"createAccount failed: {(int)response.StatusCode} {body}");
        }
        var json = JsonNode.Parse(body)!;
        return new TestAccount((string)json["did"]!, handle, (string)json["accessJwt"]!, (string)json["refreshJwt"]!, "correct horse battery staple");
    }

    public async Task DisposeAsync()
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record TestAccount(string Did, string Handle, string AccessJwt, string RefreshJwt, string Password);
