using Pds.Azure.Storage;

namespace Pds.Azure.Tests.Storage;

/// <summary>Property tests over seeded random strings rich in the characters keys may not hold.</summary>
public sealed class TableKeyTests
{
    private const string Alphabet = "/\\#?%'!:.-_~ az09AZ\u0000\u0001\u001f\u007f\u0080\u009f\u00a0é✓\t\r\n";

    private static IEnumerable<string> RandomStrings(int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var chars = new char[random.Next(0, 40)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = random.Next(4) == 0 ? (char)random.Next(0, 0x3000) : Alphabet[random.Next(Alphabet.Length)];
            }
            yield return new string(chars);
        }
    }

    [Fact]
    public void EncodeDecode_RoundTrips_AndEncodedIsAlwaysAValidKey()
    {
        foreach (var s in RandomStrings(seed: 42, count: 5000))
        {
            var encoded = TableKey.Encode(s);
            Assert.True(TableKey.IsValid(encoded), $"encoded form of {Show(s)} is not a valid key: {Show(encoded)}");
            Assert.Equal(s, TableKey.Decode(encoded));
        }
    }

    [Fact]
    public void Encode_IsIdentity_ForValidKeysWithoutPercent()
    {
        foreach (var s in RandomStrings(seed: 7, count: 2000).Where(s => TableKey.IsValid(s) && !s.Contains('%')))
        {
            Assert.Same(s, TableKey.Encode(s));
        }
    }

    [Fact]
    public void Encode_IsInjective()
    {
        var seen = new Dictionary<string, string>();
        foreach (var s in RandomStrings(seed: 99, count: 5000).Distinct())
        {
            var encoded = TableKey.Encode(s);
            Assert.False(seen.TryGetValue(encoded, out var other) && other != s, $"{Show(s)} and {Show(other ?? "")} encode alike");
            seen[encoded] = s;
        }
    }

    [Theory]
    [InlineData("at://did:plc:abc/app.bsky.feed.post/3k2a", "at:%2F%2Fdid:plc:abc%2Fapp.bsky.feed.post%2F3k2a")]
    [InlineData("100%", "100%25")]
    [InlineData("a\\b#c?d", "a%5Cb%23c%3Fd")]
    [InlineData("\u0000\u001f\u007f\u009f", "%00%1F%7F%9F")]
    [InlineData("did:plc:abc", "did:plc:abc")]
    public void Encode_KnownValues(string raw, string encoded)
    {
        Assert.Equal(encoded, TableKey.Encode(raw));
        Assert.Equal(raw, TableKey.Decode(encoded));
    }

    [Theory]
    [InlineData("%")]
    [InlineData("%4")]
    [InlineData("abc%G0")]
    [InlineData("%-1")]
    public void Decode_MalformedEscape_Throws(string encoded) =>
        Assert.Throws<FormatException>(() => TableKey.Decode(encoded));

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\u0001b")]
    [InlineData("a\u0085b")]
    public void Entity_WithForbiddenKeyCharacter_IsRejected(string key)
    {
        Assert.False(TableKey.IsValid(key));
        Assert.Throws<ArgumentException>(() => new TableEntity("p", key));
        Assert.Throws<ArgumentException>(() => new TableEntity(key, "r"));
    }

    private static string Show(string s) => string.Concat(s.Select(c => c < 0x20 || c is >= '\u007f' and <= '\u009f' ? $"\\u{(int)c:x4}" : c.ToString()));
}
