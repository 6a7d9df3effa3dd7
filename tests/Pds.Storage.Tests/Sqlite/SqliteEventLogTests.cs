using Pds.Core.Storage;
using Pds.Sqlite;
using Pds.Storage.Tests.Contracts;

namespace Pds.Storage.Tests.Sqlite;

public sealed class SqliteEventLogTests : EventLogContract
{
    private readonly SqliteTestBackend _backend;

    public SqliteEventLogTests() => _backend = Track(new SqliteTestBackend());

    protected override async Task<IEventLog> OpenAsync(TimeProvider clock) => new SqliteEventLog(await _backend.OpenAsync(), clock);

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
}
