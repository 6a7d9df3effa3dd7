using System.Text;
using System.Text.Json;
using Pds.Core.Syntax;

namespace Pds.Core.Tests.Syntax;

/// <summary>
/// Seeded random inputs: TryParse never throws, Parse throws nothing but AtSyntaxException,
/// the two agree, and an accepted value re-parses from its own ToString to the same text.
/// </summary>
public class SyntaxFuzzTests
{
    private const int Seed = 20261122;

    // Pieces of real identifiers make random strings land near the accept/reject edges.
    private static readonly string[] Fragments =
    [
        "at://", "did:", "plc:", "web:", "did:plc:7iza6de2dwap2sbkpav7c6c6", "alice.test", "app.bsky.feed.post",
        "3jzfcijpj2z2a", "self", "/", ".", "..", ":", "-", "_", "~", "%", "%3A", "#", "?", "@", "+", "=", " ", "\t",
        "x-", "en", "-GB", "-1901", "-a-", "1985-04-12T23:20:50", ".123", "Z", "+01:00", "-00:00", "0000", "13",
        "é", "💩", "\u0000", "\u00a0", "—", "xn--", "Qm", "bafy", "https:", "//", "A", "z", "0", "9",
    ];

    // Valid values, one per parser, that mutation pushes just across the line.
    private static readonly string[] Seeds =
    [
        "did:web:localhost%3A1234", "Alice.Example.COM", "com.example.fooBar", "literal:self", "3jzfcijpj2z2a",
        "at://alice.test/app.bsky.feed.post/3jzfcijpj2z2a", "did:plc:7iza6de2dwap2sbkpav7c6c6",
        "1985-04-12T23:20:50.123-07:00", "en-GB-boont-r-extended-sequence-x-private",
    ];

    private static readonly (string Kind, Func<string, string?> TryParse, Func<string, string> Parse)[] Parsers =
    [
        ("did", s => Did.TryParse(s, out var v) ? v.ToString() : null, s => Did.Parse(s).ToString()),
        ("handle", s => Handle.TryParse(s, out var v) ? v.ToString() : null, s => Handle.Parse(s).ToString()),
        ("nsid", s => Nsid.TryParse(s, out var v) ? v.ToString() : null, s => Nsid.Parse(s).ToString()),
        ("record-key", s => RecordKey.TryParse(s, out var v) ? v.ToString() : null, s => RecordKey.Parse(s).ToString()),
        ("tid", s => Tid.TryParse(s, out var v) ? v.ToString() : null, s => Tid.Parse(s).ToString()),
        ("at-uri", s => AtUri.TryParse(s, out var v) ? v.ToString() : null, s => AtUri.Parse(s).ToString()),
        ("at-identifier", s => AtIdentifier.TryParse(s, out var v) ? v.ToString() : null, s => AtIdentifier.Parse(s).ToString()),
        ("datetime", s => AtDatetime.TryParse(s, out var v) ? v.ToString() : null, s => AtDatetime.Parse(s).ToString()),
        ("language", s => LanguageTag.TryParse(s, out var v) ? v.ToString() : null, s => LanguageTag.Parse(s).ToString()),
    ];

    [Fact]
    public void ParseAndTryParse_SeededRandomStrings_OnlyAtSyntaxException()
    {
        var random = new Random(Seed);
        var failures = new List<string>();
        var accepted = new Dictionary<string, int>();
        for (var i = 0; i < 20_000 && failures.Count < 10; i++)
        {
            var s = RandomInput(random);
            foreach (var (kind, tryParse, parse) in Parsers)
            {
                accepted[kind] = accepted.GetValueOrDefault(kind) + (tryParse(s) is null ? 0 : 1);
                if (Check(kind, tryParse, parse, s) is { } failure)
                {
                    failures.Add($"case {i} {kind} {JsonSerializer.Serialize(s.Length > 100 ? s[..100] : s)}: {failure}");
                }
            }
            CidSyntax.IsValid(s);
            UriSyntax.IsValid(s);
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.All(Parsers, p => Assert.True(accepted[p.Kind] > 20, $"{p.Kind}: only {accepted[p.Kind]} accepted inputs"));
    }

    private static string? Check(string kind, Func<string, string?> tryParse, Func<string, string> parse, string s)
    {
        try
        {
            var viaTry = tryParse(s);
            string viaParse;
            try
            {
                viaParse = parse(s);
            }
            catch (AtSyntaxException ex)
            {
                return viaTry is not null ? "TryParse accepted what Parse rejected"
                    : ex.Kind != kind ? $"exception kind {ex.Kind}" : null;
            }
            if (viaTry != viaParse)
            {
                return "TryParse and Parse disagree";
            }
            return parse(viaParse) == viaParse ? null : "canonical form does not round-trip";
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            return $"threw {ex.GetType().Name}: {ex.Message}";
        }
    }

    private static string RandomInput(Random random)
    {
        if (random.Next(2) == 0)
        {
            return Mutate(random, Seeds[random.Next(Seeds.Length)]);
        }
        var sb = new StringBuilder();
        var pieces = random.Next(0, 12);
        for (var p = 0; p < pieces; p++)
        {
            if (random.Next(3) == 0)
            {
                sb.Append((char)random.Next(0x20, 0x7f));
            }
            else
            {
                sb.Append(Fragments[random.Next(Fragments.Length)]);
            }
        }
        // Now and then a very long input, to cross every length limit.
        if (random.Next(200) == 0)
        {
            sb.Append('a', random.Next(200, 9000));
        }
        return sb.ToString();
    }

    private static string Mutate(Random random, string seed)
    {
        var sb = new StringBuilder(seed);
        for (var m = random.Next(0, 3); m > 0 && sb.Length > 0; m--)
        {
            var at = random.Next(sb.Length);
            var piece = random.Next(2) == 0 ? Fragments[random.Next(Fragments.Length)] : ((char)random.Next(0x20, 0x7f)).ToString();
            _ = random.Next(3) switch
            {
                0 => sb.Remove(at, 1),
                1 => sb.Insert(at, piece),
                _ => sb.Remove(at, 1).Insert(at, piece),
            };
        }
        return sb.ToString();
    }
}
