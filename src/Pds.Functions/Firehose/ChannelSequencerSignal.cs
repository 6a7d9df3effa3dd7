using System.Threading.Channels;
using Pds.Core.Services;

namespace Pds.Functions.Firehose;

/// <summary>The in-process wake-up for the sequencer: many notifications collapse into one pending wake.</summary>
public sealed class ChannelSequencerSignal : ISequencerSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public ChannelReader<bool> Reader => _channel.Reader;

    /// <summary>The embedded store drains its whole (small, indexed) outbox, so the DID is not needed.</summary>
    public ValueTask NotifyAsync(string did, CancellationToken ct = default)
    {
        _channel.Writer.TryWrite(true);
        return ValueTask.CompletedTask;
    }
}
