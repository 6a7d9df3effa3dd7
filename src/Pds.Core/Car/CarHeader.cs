using Pds.Core.Cbor;
using Pds.Core.DataModel;
using Pds.Core.Ipld;

namespace Pds.Core.Car;

/// <summary>The CARv1 header: canonical DAG-CBOR <c>{roots: [links], version: 1}</c>.</summary>
internal static class CarHeader
{
    // Only a two-level map of links is valid; a tight bound stops deep-nesting work early.
    private const int MaxDepth = 3;

    /// <summary>The DAG-CBOR header bytes, without the length prefix.</summary>
    public static byte[] Encode(IReadOnlyList<Cid> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var writer = new DagCborWriter(32 + roots.Count * 48);
        // Canonical key order is by length first: "roots" (5) before "version" (7).
        writer.WriteMapHeader(2);
        writer.WriteText("roots"u8);
        writer.WriteArrayHeader(roots.Count);
        foreach (var root in roots)
        {
            writer.WriteCid(root ?? throw new ArgumentException("roots must not contain null", nameof(roots)));
        }
        writer.WriteText("version"u8);
        writer.WriteInteger(1);
        return writer.ToArray();
    }

    /// <summary>Decodes and validates header bytes; <paramref name="offset"/> is for messages only.</summary>
    public static Cid[] Decode(ReadOnlySpan<byte> header, long offset)
    {
        DataValue value;
        try
        {
            value = DagCbor.Decode(header, MaxDepth);
        }
        catch (DagCborFormatException e)
        {
            throw Error("invalid DAG-CBOR: " + e.Message, offset, e);
        }
        if (value is not DataMap map)
        {
            throw Error("header is not a map", offset);
        }
        // Version first: a CARv2 pragma decodes as {version: 2} and deserves that message.
        if (!map.TryGetValue("version", out var version) || version is not DataInteger v)
        {
            throw Error("header has no integer 'version'", offset);
        }
        if (v.Value != 1)
        {
            throw Error($"unsupported CAR version {v.Value} (only 1)", offset);
        }
        if (!map.TryGetValue("roots", out var rootsValue) || rootsValue is not DataArray array)
        {
            throw Error("header has no 'roots' array", offset);
        }
        if (map.Count != 2)
        {
            throw Error("header has keys other than 'roots' and 'version'", offset);
        }
        var roots = new Cid[array.Count];
        for (var i = 0; i < roots.Length; i++)
        {
            roots[i] = array[i] is DataLink link
                ? link.Cid
                : throw Error($"root {i} is not a CID link", offset);
        }
        return roots;
    }

    private static CarFormatException Error(string message, long offset, Exception? inner = null) =>
        new(message, offset, -1, inner);
}
