using System.Text;
using Pds.Azure.SignalR;

namespace Pds.Azure.Tests.SignalR;

public sealed class HubRecordSplitterTests
{
    [Fact]
    public void Feed_SeveralRecordsInOneChunk_AllReturned()
    {
        var splitter = new HubRecordSplitter(1024);
        var records = new List<byte[]>();

        splitter.Feed("{\"type\":6}\u001e{}\u001e{\"type\":7}\u001e"u8, records);

        Assert.Equal(["{\"type\":6}", "{}", "{\"type\":7}"], records.Select(r => Encoding.UTF8.GetString(r)));
        Assert.Equal(0, splitter.PendingBytes);
    }

    [Fact]
    public void Feed_RecordSpanningChunks_JoinedOnce()
    {
        var splitter = new HubRecordSplitter(1024);
        var records = new List<byte[]>();

        splitter.Feed("{\"ty"u8, records);
        splitter.Feed("pe\":"u8, records);
        Assert.Empty(records);
        Assert.Equal(8, splitter.PendingBytes);
        splitter.Feed("6}\u001e{\"a"u8, records);

        Assert.Equal("{\"type\":6}", Encoding.UTF8.GetString(Assert.Single(records)));
        Assert.Equal(3, splitter.PendingBytes);
    }

    [Fact]
    public void Feed_RecordOfExactlyMaxSize_Accepted()
    {
        var splitter = new HubRecordSplitter(10);
        var records = new List<byte[]>();

        splitter.Feed("0123456789\u001e"u8, records);

        Assert.Single(records);
    }

    [Fact]
    public void Feed_TerminatedRecordOverMax_Throws()
    {
        var splitter = new HubRecordSplitter(10);

        Assert.Throws<HubProtocolException>(() => splitter.Feed("01234567890\u001e"u8, new List<byte[]>()));
    }

    [Fact]
    public void Feed_UnterminatedTailOverMax_ThrowsBeforeBuffering()
    {
        var splitter = new HubRecordSplitter(10);
        var records = new List<byte[]>();
        splitter.Feed("012345"u8, records);

        Assert.Throws<HubProtocolException>(() => splitter.Feed("67890"u8, records));
    }
}
