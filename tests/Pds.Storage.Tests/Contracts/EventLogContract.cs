using System.Buffers.Binary;
using Pds.Core.Storage;

namespace Pds.Storage.Tests.Contracts;

/// <summary>What every <see cref="IEventLog"/> must do. The log is global, so each test needs its own empty one.</summary>
public abstract class EventLogContract : ContractTest
{
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(Start.AddTicks(1234567));

    /// <summary>
    /// Opens the log on this test's storage: empty on the first call; later calls reopen the same
    /// storage as a restarted server would.
    /// </summary>
    protected abstract Task<IEventLog> OpenAsync(TimeProvider clock);

    [Fact]
    public async Task Sequence_FirstEverEvent_SeqIsClockInMicroseconds()
    {
        var log = await OpenAsync(_clock);

        var stored = await AppendAndSequenceAsync(log, 1);

        var expected = (_clock.Now - DateTimeOffset.UnixEpoch).Ticks / 10;
        Assert.Equal(expected, Assert.Single(stored).Seq);
        Assert.Equal(expected, await log.GetLatestSeqAsync());
    }

    [Fact]
    public async Task Sequence_SeveralBatches_ContiguousInAppendOrderWithFramesFromSeq()
    {
        var log = await OpenAsync(_clock);
        var appended = await AppendAsync(log, 5);

        var first = await log.SequenceAsync(await log.GetPendingAsync(2), Frame);
        var rest = await log.SequenceAsync(await log.GetPendingAsync(100), Frame);

        var all = first.Concat(rest).ToList();
        Assert.Equal(appended.Select(p => p.Id), all.Select(e => Id(e.Frame)));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => all[0].Seq + i), all.Select(e => e.Seq));
        Assert.All(all, e => Assert.Equal(e.Seq, SeqOf(e.Frame)));
        var read = await log.ReadAsync(all[0].Seq - 1, 100);
        Assert.Equal(all.Select(e => e.Seq), read.Select(e => e.Seq));
        Assert.Equal(all.Select(e => Convert.ToHexString(e.Frame)), read.Select(e => Convert.ToHexString(e.Frame)));
        Assert.Equal(appended.Select(p => (p.Did, p.Type, p.Time)), read.Select(e => (e.Did, e.Type, e.Time)));
    }

    [Fact]
    public async Task GetPending_SeveralAppended_OldestFirstUpToLimit()
    {
        var log = await OpenAsync(_clock);
        var appended = await AppendAsync(log, 4);

        var pending = await log.GetPendingAsync(3);

        Assert.Equal(appended.Take(3).Select(p => p.Id), pending.Select(p => p.Id));
        Assert.Equal(appended[0].Body, pending[0].Body);
        Assert.Equal(appended[0].Time, pending[0].Time);
    }

    [Fact]
    public async Task Sequence_Sequenced_RemovedFromOutbox()
    {
        var log = await OpenAsync(_clock);
        await AppendAndSequenceAsync(log, 3);

        Assert.Empty(await log.GetPendingAsync(100));
    }

    [Fact]
    public async Task Sequence_AfterReopenWithClockBehind_ContinuesFromLastSeq()
    {
        var log = await OpenAsync(_clock);
        var before = await AppendAndSequenceAsync(log, 2);
        _clock.Advance(TimeSpan.FromDays(-30));

        var reopened = await OpenAsync(_clock);
        var after = await AppendAndSequenceAsync(reopened, 2);

        Assert.Equal([before[1].Seq + 1, before[1].Seq + 2], after.Select(e => e.Seq));
    }

    [Fact]
    public async Task Trim_EverythingOld_KeepsLatestAndSeqNeverGoesBack()
    {
        var log = await OpenAsync(_clock);
        var stored = await AppendAndSequenceAsync(log, 3);
        _clock.Advance(TimeSpan.FromDays(10));

        var trimmed = await log.TrimAsync(_clock.Now);

        Assert.Equal(2, trimmed);
        Assert.Equal(stored[2].Seq, (await log.GetOldestAsync())?.Seq);
        Assert.Equal(stored[2].Seq, await log.GetLatestSeqAsync());
        Assert.Equal(0, await log.TrimAsync(_clock.Now.AddYears(1)));
        var reopened = await OpenAsync(_clock);
        var next = await AppendAndSequenceAsync(reopened, 1);
        Assert.Equal(stored[2].Seq + 1, next[0].Seq);
    }

    [Fact]
    public async Task Trim_RecentEvents_Kept()
    {
        var log = await OpenAsync(_clock);
        var old = await AppendAndSequenceAsync(log, 2);
        _clock.Advance(TimeSpan.FromHours(2));
        var recent = await AppendAndSequenceAsync(log, 2);

        var trimmed = await log.TrimAsync(_clock.Now.AddHours(-1));

        Assert.Equal(2, trimmed);
        Assert.Equal(recent[0].Seq, (await log.GetOldestAsync())?.Seq);
        Assert.Equal(recent.Select(e => e.Seq), (await log.ReadAsync(old[0].Seq - 1, 10)).Select(e => e.Seq));
    }

    [Fact]
    public async Task Read_PagedByCursor_VisitsEveryEventOnce()
    {
        var log = await OpenAsync(_clock);
        var stored = await AppendAndSequenceAsync(log, 7);

        var seen = (await Paging.AllAsync(3, 0L, c => log.ReadAsync(c, 3), e => e.Seq)).Select(e => e.Seq).ToList();

        Assert.Equal(stored.Select(e => e.Seq), seen);
        Assert.Empty(await log.ReadAsync(stored[^1].Seq, 10));
    }

    [Fact]
    public async Task Sequence_EventAlreadySequencedElsewhere_SkippedNotDuplicated()
    {
        var log = await OpenAsync(TimeProvider.System);
        var pending = new PendingEvent("e1", TestIds.Did(), "#identity", [1], DateTimeOffset.UtcNow);
        await log.AppendPendingAsync(pending);
        var first = await log.SequenceAsync([pending], Frame);

        var second = await log.SequenceAsync([pending], Frame);

        Assert.Single(first);
        Assert.Empty(second);
        Assert.Single(await log.ReadAsync(0, 10));
        Assert.Equal(first[0].Seq, await log.GetLatestSeqAsync());
    }

    [Fact]
    public async Task GetPendingFor_TwoRepos_OnlyThatReposEventsInOrder()
    {
        var log = await OpenAsync(_clock);
        var did = TestIds.Did();
        var mine = new List<PendingEvent>();
        for (var i = 0; i < 3; i++)
        {
            // Same instant on purpose: order must still be the append order.
            var p = new PendingEvent(Guid.NewGuid().ToString("N"), did, "#identity", [(byte)i], _clock.Now);
            await log.AppendPendingAsync(p);
            await log.AppendPendingAsync(p with { Id = Guid.NewGuid().ToString("N"), Did = TestIds.Did() });
            mine.Add(p);
        }

        var pending = await log.GetPendingForAsync(did, 10);

        Assert.Equal(mine.Select(p => p.Id), pending.Select(p => p.Id));
        Assert.Equal(mine[2].Body, pending[2].Body);
        Assert.Equal(2, (await log.GetPendingForAsync(did, 2)).Count);
        Assert.Empty(await log.GetPendingForAsync(TestIds.Did(), 10));
    }

    [Fact]
    public async Task Sequence_LargeFrame_ReadBackWhole()
    {
        var log = await OpenAsync(_clock);
        var body = new byte[1_500_000];
        Random.Shared.NextBytes(body);
        var pending = new PendingEvent(Guid.NewGuid().ToString("N"), TestIds.Did(), "#commit", body, _clock.Now);
        await log.AppendPendingAsync(pending);

        var read = Assert.Single(await log.GetPendingAsync(10));
        Assert.Equal(body, read.Body);
        var stored = await log.SequenceAsync([read], (p, seq) => [.. p.Body, (byte)(seq & 0xFF)]);

        var back = Assert.Single(await log.ReadAsync(stored[0].Seq - 1, 10));
        Assert.Equal(stored[0].Frame, back.Frame);
        Assert.Equal(body.Length + 1, back.Frame.Length);
        Assert.Empty(await log.GetPendingAsync(10));
    }

    [Fact]
    public async Task Empty_NothingSequenced_NullsAndEmptyLists()
    {
        var log = await OpenAsync(_clock);

        Assert.Null(await log.GetLatestSeqAsync());
        Assert.Null(await log.GetOldestAsync());
        Assert.Empty(await log.ReadAsync(0, 10));
        Assert.Empty(await log.GetPendingAsync(10));
        Assert.Equal(0, await log.TrimAsync(_clock.Now));
    }

    [Fact]
    public async Task Sequence_FrameBuilderThrows_NothingSequencedOrRemoved()
    {
        var log = await OpenAsync(_clock);
        var a = new PendingEvent(Guid.NewGuid().ToString("N"), TestIds.Did(), "#identity", [1], _clock.Now);
        var b = a with { Id = Guid.NewGuid().ToString("N") };
        await log.AppendPendingAsync(a);
        await log.AppendPendingAsync(b);

        await Assert.ThrowsAsync<InvalidOperationException>(() => log.SequenceAsync(
            [a, b], (p, seq) => p.Id == b.Id ? throw new InvalidOperationException("encode failed") : Frame(p, seq)));

        Assert.Equal([a.Id, b.Id], (await log.GetPendingAsync(10)).Select(p => p.Id));
        Assert.Null(await log.GetLatestSeqAsync());
        Assert.Empty(await log.ReadAsync(0, 10));
    }

    /// <summary>A frame that carries its seq and event id, so tests can check both came through.</summary>
    protected static byte[] Frame(PendingEvent pending, long seq)
    {
        var id = System.Text.Encoding.UTF8.GetBytes(pending.Id);
        var frame = new byte[8 + id.Length];
        BinaryPrimitives.WriteInt64BigEndian(frame, seq);
        id.CopyTo(frame, 8);
        return frame;
    }

    private static long SeqOf(byte[] frame) => BinaryPrimitives.ReadInt64BigEndian(frame);

    private static string Id(byte[] frame) => System.Text.Encoding.UTF8.GetString(frame.AsSpan(8));

    private async Task<List<PendingEvent>> AppendAsync(IEventLog log, int count)
    {
        var appended = new List<PendingEvent>();
        for (var i = 0; i < count; i++)
        {
            var pending = new PendingEvent(
                Guid.NewGuid().ToString("N"), TestIds.Did(), i % 2 == 0 ? "#identity" : "#account", [(byte)i, 1, 2], _clock.Now);
            await log.AppendPendingAsync(pending);
            appended.Add(pending);
        }
        return appended;
    }

    private async Task<IReadOnlyList<SequencedEvent>> AppendAndSequenceAsync(IEventLog log, int count) =>
        await log.SequenceAsync(await AppendAsync(log, count), Frame);
}
