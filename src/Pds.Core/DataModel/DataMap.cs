using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Pds.Core.DataModel;

/// <summary>
/// A map with string keys, held in DAG-CBOR canonical order (shorter UTF-8 key first,
/// then bytewise), so encoding never re-sorts and lookups are a binary search.
/// </summary>
public sealed class DataMap : DataValue
{
    public static readonly DataMap Empty = new([]);

    private readonly Entry[] _entries;

    private DataMap(Entry[] entries)
    {
        _entries = entries;
    }

    public override DataKind Kind => DataKind.Map;
    public int Count => _entries.Length;

    public IEnumerable<KeyValuePair<string, DataValue>> Entries =>
        _entries.Select(e => new KeyValuePair<string, DataValue>(e.Key, e.Value));

    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    internal ReadOnlySpan<Entry> RawEntries => _entries;

    public DataValue? this[string key] => TryGetValue(key, out var v) ? v : null;

    /// <summary>Builds a map from any order; duplicate keys are an error.</summary>
    public static DataMap Create(IEnumerable<KeyValuePair<string, DataValue>> pairs)
    {
        var entries = pairs.Select(p => new Entry(p.Key, Encoding.UTF8.GetBytes(p.Key), p.Value)).ToArray();
        Array.Sort(entries, static (a, b) => CompareKeys(a.Utf8Key, b.Utf8Key));
        for (var i = 1; i < entries.Length; i++)
        {
            if (entries[i - 1].Utf8Key.AsSpan().SequenceEqual(entries[i].Utf8Key))
            {
                throw new ArgumentException($"duplicate map key '{entries[i].Key}'");
            }
        }
        return new DataMap(entries);
    }

    public static DataMap Create(params (string Key, DataValue Value)[] pairs) =>
        Create(pairs.Select(p => new KeyValuePair<string, DataValue>(p.Key, p.Value)));

    /// <summary>For the decoder, which has already checked the canonical order.</summary>
    internal static DataMap FromCanonical(Entry[] entries) => new(entries);

    public bool TryGetValue(string key, [NotNullWhen(true)] out DataValue? value)
    {
        // Keys are short; a linear scan beats encoding the probe key for typical record sizes.
        foreach (var e in _entries)
        {
            if (string.Equals(e.Key, key, StringComparison.Ordinal))
            {
                value = e.Value;
                return true;
            }
        }
        value = null;
        return false;
    }

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    /// <summary>DAG-CBOR map key order: length of the UTF-8 bytes first, then bytewise.</summary>
    public static int CompareKeys(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) =>
        a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.SequenceCompareTo(b);

    public override bool Equals(DataValue? other)
    {
        if (other is not DataMap m || m.Count != Count)
        {
            return false;
        }
        for (var i = 0; i < _entries.Length; i++)
        {
            if (!string.Equals(_entries[i].Key, m._entries[i].Key, StringComparison.Ordinal) ||
                !_entries[i].Value.Equals(m._entries[i].Value))
            {
                return false;
            }
        }
        return true;
    }

    public override int GetHashCode() => Count;

    internal readonly record struct Entry(string Key, byte[] Utf8Key, DataValue Value);
}
