using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pds.TestSupport;

namespace Pds.Functions.Tests.Docs;

/// <summary>
/// The operator's guide names only settings that exist, and its links between pages lead
/// somewhere: a renamed setting or heading breaks a test instead of a reader.
/// </summary>
public sealed partial class OperatorGuideTests
{
    private static readonly string DocsDirectory = Path.Combine(RepoPaths.Root, "docs");

    [Fact]
    public void EverySettingNamedInDocs_IsInTheSampleSettings()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "local.settings.sample.json")));
        var known = sample.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var named = Pages()
            .SelectMany(page => SettingName().Matches(File.ReadAllText(page)).Select(m => (Page: Path.GetFileName(page), Setting: m.Value)))
            .ToList();

        Assert.True(named.Select(n => n.Setting).Distinct().Count() >= 10, "the guide names fewer than 10 PDS_* settings: is the pattern still right?");
        var unknown = named.Where(n => !known.Contains(n.Setting)).Select(n => $"{n.Page}: {n.Setting}").Distinct().Order().ToList();
        Assert.True(unknown.Count == 0, "settings the program does not read:\n" + string.Join("\n", unknown));
    }

    [Fact]
    public void LinksBetweenPages_LeadToExistingPagesAndHeadings()
    {
        var broken = new List<string>();
        foreach (var page in Pages())
        {
            foreach (Match link in RelativeLink().Matches(File.ReadAllText(page)))
            {
                var target = link.Groups["file"].Value;
                var path = Path.GetFullPath(Path.Combine(DocsDirectory, target));
                if (!File.Exists(path))
                {
                    broken.Add($"{Path.GetFileName(page)}: {target} does not exist");
                    continue;
                }
                var anchor = link.Groups["anchor"].Value;
                if (anchor.Length > 0 && path.EndsWith(".md", StringComparison.Ordinal) && !Anchors(path).Contains(anchor))
                {
                    broken.Add($"{Path.GetFileName(page)}: {target}#{anchor} names no heading");
                }
            }
        }
        Assert.True(broken.Count == 0, string.Join("\n", broken));
    }

    [Fact]
    public void Index_ListsEveryPage()
    {
        var index = File.ReadAllText(Path.Combine(DocsDirectory, "README.md"));
        var missing = Pages().Select(Path.GetFileName).Where(name => name != "README.md" && !index.Contains($"]({name})", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "docs/README.md does not list: " + string.Join(", ", missing));
    }

    private static IEnumerable<string> Pages() => Directory.EnumerateFiles(DocsDirectory, "*.md").Order(StringComparer.Ordinal);

    /// <summary>GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens.</summary>
    private static HashSet<string> Anchors(string page)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var inCode = false;
        foreach (var line in File.ReadLines(page))
        {
            // A '#' line inside a fenced block is a shell comment, not a heading.
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
                continue;
            }
            var heading = Heading().Match(line);
            if (inCode || !heading.Success)
            {
                continue;
            }
            var slug = new StringBuilder();
            foreach (var c in heading.Groups[1].Value.Trim().ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c is '-' or '_')
                {
                    slug.Append(c);
                }
                else if (c == ' ')
                {
                    slug.Append('-');
                }
            }
            anchors.Add(slug.ToString());
        }
        return anchors;
    }

    [GeneratedRegex(@"\bPDS_[A-Z0-9_]*[A-Z0-9]\b")]
    private static partial Regex SettingName();

    /// <summary>Markdown links to files beside or above docs/ (not URLs): ](file.md#anchor).</summary>
    [GeneratedRegex(@"\]\((?<file>(?!https?:)[^)#\s]+)(?:#(?<anchor>[^)\s]+))?\)")]
    private static partial Regex RelativeLink();

    [GeneratedRegex(@"^#{1,6}\s+(.+?)\s*$")]
    private static partial Regex Heading();
}
