using Pds.Core.Storage;

namespace Pds.Functions.Firehose;

/// <summary>
/// What every sequencer does after a pass that stored events (the in-process workers, the
/// Functions queue trigger and sweep): announce the newest seq to firehose sessions and let the
/// configured relays know there is something to crawl.
/// </summary>
public sealed class SequencedNotices(IFirehoseAnnouncer announcer, CrawlNotifier crawlers)
{
    public async Task PublishAsync(IReadOnlyCollection<SequencedEvent> sequenced, CancellationToken ct)
    {
        if (sequenced.Count == 0)
        {
            return;
        }
        await announcer.AnnounceAsync(sequenced.Max(e => e.Seq), ct).ConfigureAwait(false);
        crawlers.NotifyActivity();
    }
}
