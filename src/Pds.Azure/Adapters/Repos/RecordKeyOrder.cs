namespace Pds.Azure.Adapters.Repos;

/// <summary>
/// Table Storage only returns rows in ascending key order, and listRecords is newest-first by
/// default, so every record also has a row whose key sorts in descending rkey order. Each rkey
/// character is replaced by its mirror in an ascending alphabet of key-safe characters, and a
/// terminator that sorts above them all keeps "ab" ahead of "a" (a plain mirror would put the
/// shorter key first).
/// </summary>
public static class RecordKeyOrder
{
    /// <summary>Every character a record key may hold, in ascending ordinal order.</summary>
    private const string RkeyAlphabet = "-.0123456789:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~";

    /// <summary>As many ascending characters, all below the terminator and none forbidden in table keys.</summary>
    private const string MirrorAlphabet = "0123456789:;<=>@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrst";

    private const char Terminator = '~';

    public static string Descending(string rkey)
    {
        var chars = new char[rkey.Length + 1];
        for (var i = 0; i < rkey.Length; i++)
        {
            var index = RkeyAlphabet.IndexOf(rkey[i], StringComparison.Ordinal);
            if (index < 0)
            {
                throw new ArgumentException($"'{rkey[i]}' cannot appear in a record key", nameof(rkey));
            }
            chars[i] = MirrorAlphabet[RkeyAlphabet.Length - 1 - index];
        }
        chars[^1] = Terminator;
        return new string(chars);
    }
}
