using Pds.Core.Cbor;
using Pds.Core.DataModel;
using Pds.Core.Sequencer;

namespace Pds.Core.Tests.Sequencer;

public class FrameCodecTests
{
    [Fact]
    public void Message_EncodesHeaderThenBody_AndFrameAddsSeq()
    {
        var pending = FirehoseEvents.ForIdentity("did:plc:abc", "alice.test", DateTimeOffset.UnixEpoch);
        var frame = FirehoseEvents.Frame(pending, 42);
        // Header {t: "#identity", op: 1}: "t" sorts before "op".
        Assert.Equal("a26174692369", Convert.ToHexString(frame, 0, 6).ToLowerInvariant());
        var (op, type, body) = FrameCodec.Decode(frame);
        Assert.Equal((1, "#identity"), (op, type));
        Assert.Equal(DataValue.Of(42), body["seq"]);
        Assert.Equal(DataValue.Of("alice.test"), body["handle"]);
        Assert.Equal(DataValue.Of("1970-01-01T00:00:00.000Z"), body["time"]);
    }

    [Fact]
    public void Error_HasNoTypeAndOpMinusOne()
    {
        var (op, type, body) = FrameCodec.Decode(FrameCodec.Error("FutureCursor", "Cursor in the future."));
        Assert.Equal((-1, (string?)null), (op, type));
        Assert.Equal(DataValue.Of("FutureCursor"), body["error"]);
    }

    [Fact]
    public void Decode_Garbage_ThrowsFormatException()
    {
        Assert.Throws<DagCborFormatException>(() => FrameCodec.Decode([0xa1, 0x61, 0x74, 0x01]));
        Assert.Throws<DagCborFormatException>(() => FrameCodec.Decode([0x01]));
    }
}
