using Pds.Azure.Storage;

namespace Pds.Azure.Adapters;

/// <summary>
/// Byte arrays larger than one Edm.Binary property (64 KiB) spread over numbered properties
/// <c>{name}0 … {name}N</c> of one entity. <see cref="MaxBytes"/> keeps the entity well under
/// the 1 MiB entity limit with room for the keys and a few small properties.
/// </summary>
public static class EntityBytes
{
    /// <summary>At most 15 parts of 64 KiB: 960 KiB.</summary>
    public const int MaxParts = 15;

    public const int MaxBytes = MaxParts * TableLimits.MaxBinaryBytes;

    /// <summary>Stores <paramref name="data"/> under <paramref name="name"/>0..N (an empty array as one empty part).</summary>
    /// <exception cref="ArgumentException">More than <see cref="MaxBytes"/>.</exception>
    public static void Write(TableEntity entity, string name, ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxBytes)
        {
            throw new ArgumentException($"{data.Length} bytes do not fit one entity (at most {MaxBytes})", nameof(data));
        }
        var part = 0;
        do
        {
            var length = Math.Min(TableLimits.MaxBinaryBytes, data.Length);
            entity.Set(name + part, data[..length].ToArray());
            data = data[length..];
            part++;
        }
        while (!data.IsEmpty);
    }

    /// <summary>The bytes written by <see cref="Write"/>, or null when the entity has no part 0.</summary>
    public static byte[]? Read(TableEntity entity, string name)
    {
        var first = entity.GetBinary(name + 0);
        if (first is null)
        {
            return null;
        }
        var parts = new List<byte[]> { first };
        for (var i = 1; i < MaxParts && entity.GetBinary(name + i) is { } next; i++)
        {
            parts.Add(next);
        }
        if (parts.Count == 1)
        {
            return first;
        }
        var result = new byte[parts.Sum(p => p.Length)];
        var offset = 0;
        foreach (var p in parts)
        {
            p.CopyTo(result, offset);
            offset += p.Length;
        }
        return result;
    }
}
