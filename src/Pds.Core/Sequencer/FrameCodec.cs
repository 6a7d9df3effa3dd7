using Pds.Core.Cbor;
using Pds.Core.DataModel;

namespace Pds.Core.Sequencer;

/// <summary>
/// Event-stream frames: a DAG-CBOR header (<c>{op: 1, t: "#commit"}</c> for messages,
/// <c>{op: -1}</c> for errors) immediately followed by a DAG-CBOR body.
/// </summary>
public static class FrameCodec
{
    public static byte[] Message(string type, DataMap body)
    {
        var w = new DagCborWriter(256);
        // Canonical key order: "t" (1 byte) before "op" (2 bytes).
        w.WriteMapHeader(2);
        w.WriteText("t"u8);
        w.WriteText(type);
        w.WriteText("op"u8);
        w.WriteInteger(1);
        DagCbor.Write(w, body);
        return w.ToArray();
    }

    public static byte[] Error(string error, string? message)
    {
        var w = new DagCborWriter(128);
        w.WriteMapHeader(1);
        w.WriteText("op"u8);
        w.WriteInteger(-1);
        var body = message is null
            ? DataMap.Create(("error", DataValue.Of(error)))
            : DataMap.Create(("error", DataValue.Of(error)), ("message", DataValue.Of(message)));
        DagCbor.Write(w, body);
        return w.ToArray();
    }

    /// <summary>Splits a frame into its header fields and body (for tests and the relay).</summary>
    public static (int Op, string? Type, DataMap Body) Decode(ReadOnlySpan<byte> frame)
    {
        var reader = new DagCborReader(frame);
        if (reader.ReadValue() is not DataMap header || header["op"] is not DataInteger { Value: var op })
        {
            throw new DagCborFormatException("frame header must be a map with op", 0);
        }
        var type = (header["t"] as DataString)?.Value;
        var start = reader.Position;
        var body = DagCbor.DecodeMap(frame[start..]);
        return ((int)op, type, body);
    }
}
