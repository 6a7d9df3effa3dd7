using System.Buffers.Binary;
using System.Text;
using Pds.Azure.Adapters.Events;
using Pds.Core.Storage;
using Pds.Storage.Tests.Contracts;
using Pds.TestSupport;

namespace Pds.Storage.Tests.Azure;

/// <summary>
/// Two sequencers (separate clients, as two Function instances would be) drain the same outbox
/// into the same log at the same time, each also seeing the other's events as pending: the log
/// must come out contiguous, every event exactly once, the outbox empty.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureSequencerRaceTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task TwoSequencers_SameOutbox_ContiguousAndEachEventOnce()
    {
        var repos = await AzureTables.CreateAsync(azurite, "repos");
        var events = await AzureTables.CreateAsync(azurite, "events");
        var writer = new AzureEventLog(repos, events, TimeProvider.System);
        var dids = Enumerable.Range(0, 6).Select(_ => TestIds.Did()).ToList();
        var ids = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            var p = new PendingEvent(Guid.NewGuid().ToString("N"), dids[i % dids.Count], "#identity", [(byte)i], DateTimeOffset.UtcNow);
            await writer.AppendPendingAsync(p);
            ids.Add(p.Id);
        }
        var a = new AzureEventLog(AzureTables.Reopen(azurite, repos), AzureTables.Reopen(azurite, events), TimeProvider.System);
        var b = new AzureEventLog(AzureTables.Reopen(azurite, repos), AzureTables.Reopen(azurite, events), TimeProvider.System);

        // One drains the whole outbox in small batches, the other per repository, as a queue wake-up would.
        var both = await Task.WhenAll(DrainAsync(a, did: null), DrainAllReposAsync(b, dids));

        var log = await writer.ReadAsync(0, 1000);
        Assert.Equal(60, log.Count);
        Assert.Equal(Enumerable.Range(0, 60).Select(i => log[0].Seq + i), log.Select(e => e.Seq));
        Assert.Equal(ids.Order(), log.Select(e => IdOf(e.Frame)).Order());
        Assert.Equal(log.Select(e => e.Seq), both.SelectMany(s => s).Select(e => e.Seq).Order());
        Assert.Equal(log[^1].Seq, await writer.GetLatestSeqAsync());
        Assert.Empty(await writer.GetPendingAsync(100));
    }

    [Fact]
    public async Task SameEvent_SequencedTwiceConcurrently_LoggedOnce()
    {
        var repos = await AzureTables.CreateAsync(azurite, "repos");
        var events = await AzureTables.CreateAsync(azurite, "events");
        var p = new PendingEvent(Guid.NewGuid().ToString("N"), TestIds.Did(), "#identity", [7], DateTimeOffset.UtcNow);
        await new AzureEventLog(repos, events, TimeProvider.System).AppendPendingAsync(p);
        var logs = Enumerable.Range(0, 4)
            .Select(_ => new AzureEventLog(AzureTables.Reopen(azurite, repos), AzureTables.Reopen(azurite, events), TimeProvider.System))
            .ToList();

        var results = await Task.WhenAll(logs.Select(l => l.SequenceAsync([p], Frame)));

        Assert.Single(results.SelectMany(r => r));
        Assert.Single(await logs[0].ReadAsync(0, 10));
        Assert.Empty(await logs[0].GetPendingAsync(10));
    }

    private static async Task<List<SequencedEvent>> DrainAsync(AzureEventLog log, string? did)
    {
        var all = new List<SequencedEvent>();
        while (true)
        {
            var pending = did is null ? await log.GetPendingAsync(7) : await log.GetPendingForAsync(did, 7);
            if (pending.Count == 0)
            {
                return all;
            }
            all.AddRange(await log.SequenceAsync(pending, Frame));
        }
    }

    private static async Task<List<SequencedEvent>> DrainAllReposAsync(AzureEventLog log, List<string> dids)
    {
        var all = new List<SequencedEvent>();
        foreach (var did in dids)
        {
            all.AddRange(await DrainAsync(log, did));
        }
        return all;
    }

    private static byte[] Frame(PendingEvent pending, long seq)
    {
        var id = Encoding.UTF8.GetBytes(pending.Id);
        var frame = new byte[8 + id.Length];
        BinaryPrimitives.WriteInt64BigEndian(frame, seq);
        id.CopyTo(frame, 8);
        return frame;
    }

    private static string IdOf(byte[] frame) => Encoding.UTF8.GetString(frame, 8, frame.Length - 8);
}
