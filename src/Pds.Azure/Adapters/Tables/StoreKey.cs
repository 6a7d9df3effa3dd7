using System.Globalization;
using Pds.Azure.Storage;

namespace Pds.Azure.Adapters.Tables;

/// <summary>
/// PartitionKey/RowKey building for the store adapters: caller values are escaped with
/// <see cref="TableKey.Encode"/> and the result is checked against the key size limit before any
/// request, so an over-long DID or handle is an <see cref="ArgumentException"/> naming the argument
/// rather than a 400 from the service.
/// </summary>
internal static class StoreKey
{
    /// <summary>
    /// The service documents keys of "up to 1 KiB"; read strictly that is 512 UTF-16 characters,
    /// which is far above any real DID, handle, email, CID or record path.
    /// </summary>
    public const int MaxLength = 512;

    /// <summary><paramref name="prefix"/> followed by the escaped <paramref name="value"/>.</summary>
    public static string Of(string prefix, string value, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        var key = prefix + TableKey.Encode(value);
        if (key.Length > MaxLength)
        {
            throw new ArgumentException(
                $"{paramName} is too long to be stored ({key.Length} key characters after escaping; at most {MaxLength})", paramName);
        }
        return key;
    }

    /// <summary>UTC ticks as 19 digits, so keys sort in time order.</summary>
    public static string Ticks(DateTimeOffset time) => time.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>The smallest string above every string that starts with <paramref name="prefix"/>.</summary>
    public static string UpperBound(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return prefix[..^1] + (char)(prefix[^1] + 1);
    }
}
