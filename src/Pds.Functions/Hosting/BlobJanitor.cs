using Pds.Core.Storage;

namespace Pds.Functions.Hosting;

/// <summary>
/// Uploads stay temporary until a record references them; those nobody referenced within a day
/// are deleted (bytes, then metadata), every hour.
/// </summary>
public sealed class BlobJanitor(IBlobIndex index, IBlobStore blobs, TimeProvider clock, ILogger<BlobJanitor> logger) : BackgroundService
{
    public static readonly TimeSpan Expiry = TimeSpan.FromDays(1);
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var removed = await SweepAsync(stoppingToken);
                if (removed > 0)
                {
                    logger.LogInformation("deleted {Count} unreferenced temporary blobs", removed);
                }
                await Task.Delay(Interval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "temporary blob sweep failed");
                await Task.Delay(Interval, clock, stoppingToken);
            }
        }
    }

    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var removed = 0;
        while (true)
        {
            var expired = await index.ListExpiredTempAsync(clock.GetUtcNow() - Expiry, 500, ct);
            foreach (var blob in expired)
            {
                // A record may have claimed it since the listing: then it is permanent and stays.
                if ((await index.GetAsync(blob.Did, blob.Cid, ct))?.TempKey != blob.TempKey)
                {
                    continue;
                }
                await blobs.DeleteTempAsync(blob.TempKey!, ct);
                await index.DeleteAsync(blob.Did, blob.Cid, ct);
            }
            removed += expired.Count;
            if (expired.Count < 500)
            {
                return removed;
            }
        }
    }
}
