using Microsoft.AspNetCore.Builder;
using Pds.Functions.Hosting;

namespace Pds.Functions.Tests.OperatorCli;

/// <summary>A second, short-lived PDS that requires invite codes, sharing a test PLC directory.</summary>
internal sealed class InviteOnlyPds : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _data;

    private InviteOnlyPds(WebApplication app, string data, Uri baseUrl, string adminPassword)
    {
        _app = app;
        _data = data;
        BaseUrl = baseUrl;
        AdminPassword = adminPassword;
    }

    public Uri BaseUrl { get; }
    public string AdminPassword { get; }

    public static async Task<InviteOnlyPds> StartAsync(Uri plc)
    {
        var data = Path.Combine(Path.GetTempPath(), "pds-invite-test-" + Guid.NewGuid().ToString("N"));
        var port = AdminCli.FreePort();
        var config = new PdsConfig
        {
            Hostname = "localhost",
            Port = port,
            DataDirectory = data,
            BlobstoreDirectory = Path.Combine(data, "blobs"),
            PlcUrl = plc.ToString().TrimEnd('/'),
            ServiceHandleDomains = [".test"],
            InviteRequired = true,
        };
        var secrets = PdsSecrets.Resolve(config);
        var app = await PdsHost.BuildAsync(config, secrets);
        await app.StartAsync();
        return new InviteOnlyPds(app, data, new Uri($"http://127.0.0.1:{port}/"), secrets.AdminPassword);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
