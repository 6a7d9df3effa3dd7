using System.Text.Json;
using Pds.Core.Syntax;
using Pds.Core.Tests.Interop;

namespace Pds.Core.Tests.Syntax;

/// <summary>
/// Runs one interop line-list file through the validator its name points to and fails with
/// every mismatching line at once, so one test covers a whole file with a useful message.
/// </summary>
internal static class InteropCases
{
    /// <summary>Each validator returns "" to accept a case, or the reason it rejects it.</summary>
    private static readonly Dictionary<string, Func<string, string>> Validators = new()
    {
        ["atidentifier"] = s => AtIdentifier.TryParse(s, out _, out var e) ? "" : e,
        ["aturi"] = s => AtUri.TryParse(s, out _, out var e) ? "" : e,
        ["cid"] = s => CidSyntax.IsValid(s, out var e) ? "" : e,
        ["datetime"] = s => AtDatetime.TryParse(s, out _, out var e) ? "" : e,
        ["did"] = s => Did.TryParse(s, out _, out var e) ? "" : e,
        ["handle"] = s => Handle.TryParse(s, out _, out var e) ? "" : e,
        ["language"] = s => LanguageTag.TryParse(s, out _, out var e) ? "" : e,
        ["nsid"] = s => Nsid.TryParse(s, out _, out var e) ? "" : e,
        ["recordkey"] = s => RecordKey.TryParse(s, out _, out var e) ? "" : e,
        ["tid"] = s => Tid.TryParse(s, out _, out var e) ? "" : e,
        ["uri"] = s => UriSyntax.IsValid(s, out var e) ? "" : e,
    };

    /// <summary>True when this runner knows the validator and expectation for <paramref name="fileName"/>.</summary>
    public static bool Understands(string fileName) =>
        Validators.ContainsKey(fileName.Split('_')[0]) && (fileName.EndsWith("_valid.txt") || fileName.EndsWith("_invalid.txt"));

    /// <summary>Asserts every case in syntax/<paramref name="fileName"/>; returns how many cases ran.</summary>
    public static int AssertFile(string fileName)
    {
        Assert.True(Understands(fileName), $"no validator or expectation for {fileName}");
        var relative = "syntax/" + fileName;
        var validate = Validators[fileName.Split('_')[0]];
        var expectValid = fileName.EndsWith("_valid.txt");
        var rawLines = File.ReadAllText(InteropFiles.Path(relative)).Split('\n');
        var cases = InteropFiles.Lines(relative).ToList();
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var reason = validate(c);
            if (reason.Length == 0 != expectValid)
            {
                var line = Array.IndexOf(rawLines, c) + 1;
                failures.Add($"  line {line}: {Show(c)} was {(expectValid ? "rejected: " + reason : "accepted")}");
            }
        }
        Assert.NotEmpty(cases);
        Assert.True(failures.Count == 0,
            $"{relative}: {failures.Count} of {cases.Count} cases failed\n{string.Join('\n', failures)}");
        return cases.Count;
    }

    // JSON quoting makes leading/trailing spaces and non-ASCII visible; long cases are cut.
    private static string Show(string s) =>
        JsonSerializer.Serialize(s.Length <= 80 ? s : s[..80]) + (s.Length <= 80 ? "" : $" (+{s.Length - 80} chars)");
}
