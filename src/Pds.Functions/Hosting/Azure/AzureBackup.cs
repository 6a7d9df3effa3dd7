using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pds.Azure.Adapters.Backup;
using Pds.Azure.Adapters.Tables;
using Pds.Azure.Storage;

namespace Pds.Functions.Hosting.Azure;

/// <summary>
/// <c>pds backup</c> / <c>pds restore</c> on the Azure backend: every table as newline-delimited
/// JSON in a timestamped folder with a manifest; restore writes them into tables that hold no
/// accounts yet (a new prefix or account) and raises the firehose counter so seq continues upward.
/// </summary>
public static class AzureBackup
{
    public const string ManifestName = "manifest.json";

    /// <summary>Events first: the manifest's seq is read before anything else, so it is not ahead of the tables.</summary>
    public static IReadOnlyList<string> Tables { get; } =
    [
        "events", "repos", "keys", SimpleStoreTables.AccountsName, SimpleStoreTables.SessionsName, SimpleStoreTables.InvitesName,
        SimpleStoreTables.PreferencesName, SimpleStoreTables.BlobIndexName,
    ];

    /// <returns>The folder written.</returns>
    public static async Task<string> BackupAsync(PdsConfig config, string directory, TimeProvider clock, TextWriter progress, CancellationToken ct = default)
    {
        var connection = Connect(config);
        var started = clock.GetUtcNow();
        var folder = Path.Combine(directory, started.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var seq = await LatestSeqAsync(new TableClient(connection, config.StoragePrefix + "events"), ct);
        var counts = new JsonObject();
        foreach (var name in Tables)
        {
            var table = new TableClient(connection, config.StoragePrefix + name);
            await using var file = File.Create(Path.Combine(folder, name + ".jsonl"));
            long count;
            try
            {
                count = await TableBackup.ExportAsync(table, file, ct);
            }
            catch (StorageNotFoundException)
            {
                count = 0; // never created: nothing to keep
            }
            counts[name] = count;
            await progress.WriteLineAsync($"{name}: {count} rows");
        }
        var manifest = new JsonObject
        {
            ["format"] = "pds-azure-tables-v1",
            ["time"] = started.ToString("O", CultureInfo.InvariantCulture),
            ["lastSeq"] = seq,
            ["tables"] = counts,
        };
        await File.WriteAllTextAsync(Path.Combine(folder, ManifestName), manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), ct);
        return folder;
    }

    /// <returns>The seq counter after restore (the next event gets one more).</returns>
    /// <exception cref="ConfigException">Not a backup folder, or the target already has accounts.</exception>
    public static async Task<long> RestoreAsync(PdsConfig config, string folder, TimeProvider clock, TextWriter progress, CancellationToken ct = default)
    {
        if (!File.Exists(Path.Combine(folder, ManifestName)))
        {
            throw new ConfigException($"{folder} is not a backup folder (no {ManifestName})");
        }
        var connection = Connect(config);
        var accounts = new TableClient(connection, config.StoragePrefix + SimpleStoreTables.AccountsName);
        await accounts.CreateIfNotExistsAsync(ct);
        if ((await accounts.QueryPageAsync(new TableQuery(Top: 1), ct: ct)).Entities.Count > 0)
        {
            // Restoring over a live PDS would mix two histories; restore next to it and switch over.
            throw new ConfigException($"the target storage already holds accounts; restore into an empty account or a new PDS_STORAGE_PREFIX");
        }
        foreach (var name in Tables)
        {
            var path = Path.Combine(folder, name + ".jsonl");
            if (!File.Exists(path))
            {
                continue;
            }
            var table = new TableClient(connection, config.StoragePrefix + name);
            await table.CreateIfNotExistsAsync(ct);
            await using var file = File.OpenRead(path);
            var count = await TableBackup.ImportAsync(table, file, ct);
            await progress.WriteLineAsync($"{name}: {count} rows restored");
        }
        var microseconds = (clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
        var floor = await TableBackup.RaiseSeqFloorAsync(new TableClient(connection, config.StoragePrefix + "events"), microseconds, ct);
        await progress.WriteLineAsync($"firehose seq continues after {floor}");
        return floor;
    }

    private static StorageConnection Connect(PdsConfig config) =>
        config.StorageBackend == StorageBackend.Azure
            ? AzureBackend.Connection(config, AzureBackend.Credential(config))
            : throw new ConfigException("pds backup and pds restore work on the Azure backend (PDS_STORAGE_BACKEND=azure); back up the embedded default's data directory while the PDS is stopped");

    private static async Task<long?> LatestSeqAsync(TableClient events, CancellationToken ct)
    {
        try
        {
            return (await events.GetEntityAsync("log", "state", ct: ct))?.GetInt64("LastSeq");
        }
        catch (StorageNotFoundException)
        {
            return null;
        }
    }
}
