using Pds.Core.Cbor;
using Pds.Core.Ipld;

namespace Pds.Core.Mst;

/// <summary>
/// The node wire form: <c>{e: [{k, p, t, v}...], l}</c> with keys prefix-compressed against
/// the previous entry, <c>l</c> and <c>t</c> written as null rather than omitted. Decoding is
/// strict: exact keys, canonical prefix lengths, sorted keys, every key on this node's layer.
/// </summary>
internal static class MstNodeCodec
{
    public static void Encode(DagCborWriter w, Cid? left, MstEntry[] entries, Cid?[] rights)
    {
        w.WriteMapHeader(2);
        w.WriteText("e"u8);
        w.WriteArrayHeader(entries.Length);
        ReadOnlySpan<byte> previous = default;
        for (var i = 0; i < entries.Length; i++)
        {
            var key = entries[i].Key;
            var prefix = i == 0 ? 0 : previous.CommonPrefixLength(key);
            w.WriteMapHeader(4);
            w.WriteText("k"u8);
            w.WriteBytes(key.AsSpan(prefix));
            w.WriteText("p"u8);
            w.WriteInteger(prefix);
            w.WriteText("t"u8);
            w.WriteCidOrNull(rights[i]);
            w.WriteText("v"u8);
            w.WriteCid(entries[i].Value);
            previous = key;
        }
        w.WriteText("l"u8);
        w.WriteCidOrNull(left);
    }

    /// <summary>Decodes a node; <paramref name="height"/> null means "root: infer from the first key".</summary>
    public static MstNode Decode(ReadOnlySpan<byte> bytes, Cid cid, int? height)
    {
        try
        {
            return DecodeCore(bytes, cid, height);
        }
        catch (DagCborFormatException e)
        {
            throw new MstFormatException($"MST node {cid}: {e.Message}");
        }
    }

    /// <summary>
    /// Reads only a node's links, appending its record CIDs (<c>v</c>, in key order) and its
    /// subtree CIDs (<c>l</c>, then each <c>t</c>) without rebuilding keys or checking layers.
    /// For walks over a tree this server wrote and validated (repo export): hashing every key to
    /// check its layer costs more than the rest of the export together.
    /// </summary>
    public static void ReadLinks(ReadOnlySpan<byte> bytes, Cid cid, List<Cid> records, List<Cid> subtrees)
    {
        try
        {
            var r = new DagCborReader(bytes);
            if (r.ReadMapHeader() != 2 || !r.ReadTextUtf8().SequenceEqual("e"u8))
            {
                throw Bad(cid, "expected a map with keys e and l");
            }
            var count = r.ReadArrayHeader();
            var firstSubtree = subtrees.Count;
            subtrees.Add(null!);
            for (var i = 0; i < count; i++)
            {
                var entry = ReadEntry(ref r, cid);
                if (entry.Right is not null)
                {
                    subtrees.Add(entry.Right);
                }
                records.Add(entry.Value);
            }
            if (!r.ReadTextUtf8().SequenceEqual("l"u8))
            {
                throw Bad(cid, "expected key l");
            }
            // l comes last on the wire but first in key order.
            if (r.ReadCidOrNull() is { } left)
            {
                subtrees[firstSubtree] = left;
            }
            else
            {
                subtrees.RemoveAt(firstSubtree);
            }
            r.EnsureAtEnd();
        }
        catch (DagCborFormatException e)
        {
            throw new MstFormatException($"MST node {cid}: {e.Message}");
        }
    }

    private static MstNode DecodeCore(ReadOnlySpan<byte> bytes, Cid cid, int? height)
    {
        var r = new DagCborReader(bytes);
        if (r.ReadMapHeader() != 2 || !r.ReadTextUtf8().SequenceEqual("e"u8))
        {
            throw Bad(cid, "expected a map with keys e and l");
        }
        var count = r.ReadArrayHeader();
        var entries = count == 0 ? MstNode.NoEntries : new MstEntry[count];
        byte[] previous = [];
        for (var i = 0; i < count; i++)
        {
            var (suffix, prefix, right, value) = ReadEntry(ref r, cid);
            if (prefix < 0 || prefix > previous.Length || (i == 0 && prefix != 0))
            {
                throw Bad(cid, $"entry {i} has an impossible prefix length {prefix}");
            }
            byte[] key = [.. previous.AsSpan(0, (int)prefix), .. suffix];
            if (key.Length > MstKey.MaxLength)
            {
                throw Bad(cid, $"entry {i} key longer than {MstKey.MaxLength} bytes");
            }
            if (i > 0 && (previous.AsSpan().SequenceCompareTo(key) >= 0 || previous.AsSpan().CommonPrefixLength(key) != prefix))
            {
                throw Bad(cid, $"entry {i} is out of order or its prefix is not canonical");
            }
            entries[i] = new MstEntry(key, value, right is null ? null : new MstRef(right));
            previous = key;
        }
        if (!r.ReadTextUtf8().SequenceEqual("l"u8))
        {
            throw Bad(cid, "expected key l");
        }
        var left = r.ReadCidOrNull();
        r.EnsureAtEnd();
        var h = height ?? (count > 0 ? MstKey.Height(entries[0].Key) : 0);
        CheckLayering(cid, h, left, entries, isRoot: height is null);
        return new MstNode(h, left is null ? null : new MstRef(left), entries, cid);
    }

    private static void CheckLayering(Cid cid, int height, Cid? left, MstEntry[] entries, bool isRoot)
    {
        if (height < 0)
        {
            throw Bad(cid, "node below layer 0");
        }
        foreach (var e in entries)
        {
            if (MstKey.Height(e.Key) != height)
            {
                throw Bad(cid, $"key on layer {MstKey.Height(e.Key)} stored on layer {height}");
            }
            if (height == 0 && e.Right is not null)
            {
                throw Bad(cid, "layer-0 node has a subtree");
            }
        }
        if (height == 0 && left is not null)
        {
            throw Bad(cid, "layer-0 node has a subtree");
        }
        if (entries.Length == 0 && (left is null ? !isRoot : isRoot))
        {
            throw Bad(cid, isRoot ? "root with no entries must be the empty tree" : "empty inner node");
        }
    }

    /// <summary>One <c>{k, p, t, v}</c> entry in wire form; the key suffix points into the node's bytes.</summary>
    private ref struct WireEntry(ReadOnlySpan<byte> suffix, long prefix, Cid? right, Cid value)
    {
        public ReadOnlySpan<byte> Suffix = suffix;
        public long Prefix = prefix;
        public Cid? Right = right;
        public Cid Value = value;

        public readonly void Deconstruct(out ReadOnlySpan<byte> suffix, out long prefix, out Cid? right, out Cid value)
        {
            suffix = Suffix;
            prefix = Prefix;
            right = Right;
            value = Value;
        }
    }

    private static WireEntry ReadEntry(ref DagCborReader r, Cid cid)
    {
        if (r.ReadMapHeader() != 4 || !r.ReadTextUtf8().SequenceEqual("k"u8))
        {
            throw Bad(cid, "entry must be a map with keys k, p, t, v");
        }
        var suffix = r.ReadBytes();
        ExpectKey(ref r, "p"u8, cid);
        var prefix = r.ReadInteger();
        ExpectKey(ref r, "t"u8, cid);
        var right = r.ReadCidOrNull();
        ExpectKey(ref r, "v"u8, cid);
        return new WireEntry(suffix, prefix, right, r.ReadCid());
    }

    private static void ExpectKey(ref DagCborReader r, ReadOnlySpan<byte> key, Cid cid)
    {
        if (!r.ReadTextUtf8().SequenceEqual(key))
        {
            throw Bad(cid, "entry keys must be exactly k, p, t, v");
        }
    }

    private static MstFormatException Bad(Cid cid, string message) => new($"MST node {cid}: {message}");
}
