using System.Globalization;
using System.Text.Json;
using Pds.TestSupport;

namespace Pds.Functions.Tests.Docs;

/// <summary>
/// scripts/cost-model.mjs produces a complete, self-consistent bill, and docs/cost.md shows
/// exactly what the script computes today, so the page cannot drift from the model.
/// </summary>
public sealed class CostModelTests
{
    private const string Script = "scripts/cost-model.mjs";
    private static readonly string[] Topologies = ["serverless", "container", "community"];
    private static readonly string[] Profiles = ["person", "users100", "users1000"];

    [Fact]
    public void Json_HasEveryTopologyAndProfile_WithTotalsThatAddUp()
    {
        using var model = RunJson();
        var root = model.RootElement;
        Assert.Matches(@"^\d{4}-\d{2}$", root.GetProperty("priceDate").GetString());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("region").GetString()));

        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(Topologies.Length * Profiles.Length, results.Count);
        foreach (var topology in Topologies)
        {
            foreach (var profile in Profiles)
            {
                var result = Assert.Single(results, r => r.GetProperty("topology").GetString() == topology && r.GetProperty("profile").GetString() == profile);
                var total = result.GetProperty("total").GetDouble();
                var lines = result.GetProperty("lines").EnumerateArray().ToList();
                Assert.True(double.IsFinite(total) && total > 0, $"{topology}/{profile}: total {total}");
                Assert.NotEmpty(lines);
                foreach (var line in lines)
                {
                    var quantity = line.GetProperty("quantity").GetDouble();
                    var rate = line.GetProperty("rate").GetDouble();
                    var cost = line.GetProperty("cost").GetDouble();
                    var what = $"{topology}/{profile}: {line.GetProperty("service").GetString()} / {line.GetProperty("item").GetString()}";
                    Assert.True(quantity >= 0 && rate >= 0 && cost >= 0, what);
                    Assert.False(string.IsNullOrWhiteSpace(line.GetProperty("basis").GetString()), what + " has no arithmetic");
                    // Quantities are rounded to 2 decimals and costs to 4 in the JSON.
                    Assert.True(Math.Abs(quantity * rate - cost) <= 0.0001 + 0.005 * rate, $"{what}: {quantity} x {rate} != {cost}");
                }
                var sum = lines.Sum(l => l.GetProperty("cost").GetDouble());
                Assert.True(Math.Abs(sum - total) <= 0.01, $"{topology}/{profile}: lines add up to {sum}, total says {total}");
                Assert.True(result.GetProperty("totalIfWebSocketKeepsActive").GetDouble() >= total - 0.005,
                    $"{topology}/{profile}: billing the whole month at the active rate cannot be cheaper");
            }
        }
    }

    [Fact]
    public void Json_EveryPriceNamesItsSourceAndStatus()
    {
        using var model = RunJson();
        var prices = model.RootElement.GetProperty("prices").EnumerateObject().ToList();
        Assert.True(prices.Count >= 20, $"only {prices.Count} prices");
        foreach (var price in prices)
        {
            Assert.True(price.Value.GetProperty("value").GetDouble() >= 0, price.Name);
            Assert.Contains("http", price.Value.GetProperty("source").GetString(), StringComparison.Ordinal);
            Assert.Contains(price.Value.GetProperty("status").GetString(), new[] { "cited", "estimate" });
        }
    }

    [Fact]
    public void Json_ReportsBothTargets_AndTheirVerdictFollowsTheTotal()
    {
        using var model = RunJson();
        var targets = model.RootElement.GetProperty("targets").EnumerateArray().ToList();
        Assert.Equal(2, targets.Count);
        Assert.Contains(targets, t => t.GetProperty("topology").GetString() == "container" && t.GetProperty("limit").GetDouble() == 6);
        Assert.Contains(targets, t => t.GetProperty("topology").GetString() == "serverless" && t.GetProperty("limit").GetDouble() == 10);
        foreach (var t in targets)
        {
            Assert.Equal("person", t.GetProperty("profile").GetString());
            Assert.Equal(t.GetProperty("total").GetDouble() < t.GetProperty("limit").GetDouble(), t.GetProperty("met").GetBoolean());
        }
    }

    [Fact]
    public void CostDoc_EmbedsTheScriptsCurrentOutput()
    {
        var generated = Run("--markdown").Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        var page = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "cost.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        const string begin = "<!-- cost-model:begin -->";
        const string end = "<!-- cost-model:end -->";
        var start = page.IndexOf(begin, StringComparison.Ordinal);
        var stop = page.IndexOf(end, StringComparison.Ordinal);
        Assert.True(start >= 0 && stop > start, "docs/cost.md lacks the cost-model markers");
        var embedded = page[(start + begin.Length)..stop].Trim();
        Assert.True(generated == embedded,
            "docs/cost.md does not show what scripts/cost-model.mjs computes; run `node scripts/cost-model.mjs --update-doc`");
    }

    [Fact]
    public void CostDoc_SummaryRowsShowEveryTotal()
    {
        using var model = RunJson();
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "docs", "cost.md"));
        foreach (var topology in Topologies)
        {
            var row = lines.First(l => l.StartsWith($"| `{topology}` |", StringComparison.Ordinal));
            var expected = Profiles.Select(p => Money(Total(model, topology, p)));
            Assert.Equal($"| `{topology}` | {string.Join(" | ", expected)} |", row);
        }
    }

    [Fact]
    public void UnknownArgument_IsAUsageError()
    {
        var result = NodeScript.Run(Script, "--bogus");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown argument --bogus", result.Stderr, StringComparison.Ordinal);
    }

    private static double Total(JsonDocument model, string topology, string profile) =>
        model.RootElement.GetProperty("results").EnumerateArray()
            .Single(r => r.GetProperty("topology").GetString() == topology && r.GetProperty("profile").GetString() == profile)
            .GetProperty("total").GetDouble();

    private static string Money(double x) => "$" + x.ToString("0.00", CultureInfo.InvariantCulture);

    private static JsonDocument RunJson() => JsonDocument.Parse(Run("--json"));

    private static string Run(string format)
    {
        var result = NodeScript.Run(Script, format);
        Assert.True(result.ExitCode == 0, $"node {Script} {format} exited {result.ExitCode}: {result.Stderr}");
        return result.Stdout;
    }
}
