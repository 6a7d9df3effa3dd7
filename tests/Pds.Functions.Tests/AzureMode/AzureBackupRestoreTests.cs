using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Pds.Core.Storage;
using Pds.Functions.Hosting;
using Pds.Functions.Hosting.Azure;
using Pds.Functions.Tests.Server;

namespace Pds.Functions.Tests.AzureMode;

/// <summary>
/// The restore drill of docs/backup-restore.md: back up, let the live PDS move on, restore the
/// older backup next to it and start a PDS on the restored tables: the data is the backup's, and
/// the firehose seq continues above everything the live PDS ever emitted.
/// </summary>
public sealed class AzureBackupRestoreTests(AzurePdsServerFixture server) : IClassFixture<AzurePdsServerFixture>, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pds-backup-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task RestoreDrill_OlderBackup_DataFromBackupAndSeqKeepsGoingUp()
    {
        var live = server.Services.GetRequiredService<IEventLog>();
        var account = await server.CreateAccountAsync("drill");
        var before = await server.PostAsync(account, "in the backup");
        await WaitForSequencedAsync(live, account.Did);

        var folder = await AzureBackup.BackupAsync(server.Config, _dir, TimeProvider.System, TextWriter.Null);
        var after = await server.PostAsync(account, "after the backup");
        await WaitForSequencedAsync(live, account.Did);
        var liveLatest = (await live.GetLatestSeqAsync())!.Value;

        var restored = server.Config with { StoragePrefix = "rs" + Guid.NewGuid().ToString("N")[..8], Port = PdsServerFixture.FreePort() };
        var floor = await AzureBackup.RestoreAsync(restored, folder, TimeProvider.System, TextWriter.Null);
        Assert.True(floor > liveLatest);
        await using var app = await PdsHost.BuildAsync(restored, server.Secrets);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{restored.Port}/") };
        var xrpc = new XrpcClient(http);

        Assert.Equal(HttpStatusCode.OK, (await GetRecordAsync(xrpc, before)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetRecordAsync(xrpc, after)).Status);
        var session = (await xrpc.PostAsync("com.atproto.server.createSession",
            new JsonObject { ["identifier"] = account.Handle, ["password"] = account.Password })).Ok().Json;
        (await xrpc.PostAsync("com.atproto.repo.createRecord", new JsonObject
        {
            ["repo"] = account.Did, ["collection"] = "app.bsky.feed.post",
            ["record"] = new JsonObject { ["text"] = "after the restore", ["createdAt"] = "2026-11-22T00:00:00.000Z" },
        }, XrpcClient.Bearer((string)session["accessJwt"]!))).Ok();
        var restoredLog = app.Services.GetRequiredService<IEventLog>();
        var next = await WaitForSequencedAsync(restoredLog, account.Did);

        Assert.True(next.Seq > liveLatest, $"seq {next.Seq} after restore is not above {liveLatest}, the live PDS's latest");
        await app.StopAsync();
    }

    [Fact]
    public async Task Restore_IntoStorageWithAccounts_Refused()
    {
        await server.CreateAccountAsync("occupied");
        var folder = await AzureBackup.BackupAsync(server.Config, _dir, TimeProvider.System, TextWriter.Null);

        await Assert.ThrowsAsync<ConfigException>(() => AzureBackup.RestoreAsync(server.Config, folder, TimeProvider.System, TextWriter.Null));
    }

    private static Task<XrpcResponse> GetRecordAsync(XrpcClient xrpc, JsonNode created)
    {
        var uri = ((string)created["uri"]!).Split('/');
        return xrpc.GetAsync("com.atproto.repo.getRecord", ("repo", uri[2]), ("collection", uri[3]), ("rkey", uri[4]));
    }

    /// <summary>Waits until the repository has nothing pending and returns its newest event.</summary>
    private static async Task<SequencedEvent> WaitForSequencedAsync(IEventLog log, string did)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if ((await log.GetPendingForAsync(did, 1)).Count == 0 && await log.GetLatestSeqAsync() is { } latest)
            {
                var newest = (await log.ReadAsync(latest - 1, 1)).SingleOrDefault();
                if (newest is not null)
                {
                    return newest;
                }
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"events of {did} were not sequenced within 30 s");
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
