using System.Buffers;
using System.Globalization;
using System.Text;

namespace Pds.Azure.Storage;

/// <summary>
/// PartitionKey/RowKey rules. Keys may not contain <c>/ \ # ?</c> or control characters
/// (U+0000-U+001F, U+007F-U+009F); <see cref="Encode"/> escapes those and '%' itself as
/// <c>%XX</c> (all of them fit in two hex digits), so any string round trips through
/// <see cref="Decode"/>. NOTE: escaping changes sort order around the escaped characters, so
/// range scans must use encoded bounds and not rely on '/' ordering.
/// </summary>
public static class TableKey
{
    private static readonly SearchValues<char> Forbidden = SearchValues.Create(ForbiddenChars(withPercent: false));
    private static readonly SearchValues<char> ForbiddenOrPercent = SearchValues.Create(ForbiddenChars(withPercent: true));

    public static bool IsForbidden(char c) =>
        c is '/' or '\\' or '#' or '?' || c <= '\u001F' || c is >= '\u007F' and <= '\u009F';

    /// <summary>True when the string can be used as a key as it is.</summary>
    public static bool IsValid(string key) => !key.AsSpan().ContainsAny(Forbidden);

    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.AsSpan().ContainsAny(ForbiddenOrPercent))
        {
            return value;
        }
        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c == '%' || IsForbidden(c))
            {
                sb.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    /// <exception cref="FormatException">A '%' not followed by two hex digits.</exception>
    public static string Decode(string encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (!encoded.Contains('%', StringComparison.Ordinal))
        {
            return encoded;
        }
        var sb = new StringBuilder(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }
            if (i + 2 >= encoded.Length
                || !byte.TryParse(encoded.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                throw new FormatException($"table key escape at offset {i} is not %XX");
            }
            sb.Append((char)b);
            i += 2;
        }
        return sb.ToString();
    }

    internal static void Validate(string key, string paramName)
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        if (!IsValid(key))
        {
            throw new ArgumentException("table keys may not contain / \\ # ? or control characters; use TableKey.Encode", paramName);
        }
    }

    private static string ForbiddenChars(bool withPercent)
    {
        var chars = Enumerable.Range(0, 0xA0).Select(i => (char)i).Where(IsForbidden);
        return new string((withPercent ? chars.Append('%') : chars).ToArray());
    }
}
