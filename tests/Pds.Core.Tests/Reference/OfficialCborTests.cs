using System.Text;
using System.Text.Json;
using Pds.Core.Cbor;
using Pds.Core.DataModel;
using Pds.Core.Ipld;

namespace Pds.Core.Tests.Reference;

/// <summary>Random records encoded by us and by the official stack give the same bytes and CIDs.</summary>
public class OfficialCborTests
{
    [Fact]
    public async Task RandomRecords_EncodeIdenticallyToOfficialStack()
    {
        var rng = new Random(2026);
        var values = Enumerable.Range(0, 400).Select(_ => RandomRecord(rng)).ToList();
        var input = new StringBuilder();
        foreach (var v in values)
        {
            input.Append("{\"json\":").Append(DataModelJson.ToJsonString(v)).Append("}\n");
        }
        var (code, stdout, stderr) = await NodeScripts.RunAsync("cbor.mjs", ["--strict"], input.ToString());
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(values.Count, lines.Length);
        for (var i = 0; i < values.Count; i++)
        {
            using var line = JsonDocument.Parse(lines[i]);
            Assert.False(line.RootElement.TryGetProperty("error", out var err), $"official stack rejected value {i}: {err}");
            var ours = DagCbor.Encode(values[i]);
            Assert.Equal(line.RootElement.GetProperty("cbor_base64").GetString(), Convert.ToBase64String(ours));
            Assert.Equal(line.RootElement.GetProperty("cid").GetString(), Cid.ForDagCbor(ours).ToString());
        }
    }

    private static DataMap RandomRecord(Random rng)
    {
        var pairs = new List<KeyValuePair<string, DataValue>> { new("$type", DataValue.Of("com.example.record")) };
        for (var i = rng.Next(0, 8); i > 0; i--)
        {
            var key = RandomString(rng, 1, 12);
            if (key != "$type" && pairs.All(p => p.Key != key))
            {
                pairs.Add(new(key, RandomValue(rng, 0)));
            }
        }
        return DataMap.Create(pairs);
    }

    private static DataValue RandomValue(Random rng, int depth) => rng.Next(depth > 3 ? 6 : 8) switch
    {
        0 => DataValue.Null,
        1 => DataValue.Of(rng.Next(2) == 0),
        // Integers within ±2^53: the JS side parses JSON numbers as doubles.
        2 => DataValue.Of(rng.NextInt64(-(1L << 53) + 1, 1L << 53) >> rng.Next(0, 53)),
        3 => DataValue.Of(RandomString(rng, 0, 40)),
        4 => DataValue.Of(RandomBytes(rng)),
        5 => DataValue.Of(Cid.ForRaw(RandomBytes(rng))),
        6 => new DataArray(Enumerable.Range(0, rng.Next(0, 5)).Select(_ => RandomValue(rng, depth + 1)).ToList()),
        _ => DataMap.Create(Enumerable.Range(0, rng.Next(0, 5))
            .Select(i => new KeyValuePair<string, DataValue>($"{RandomString(rng, 0, 6)}#{i}", RandomValue(rng, depth + 1)))),
    };

    private static byte[] RandomBytes(Random rng)
    {
        var b = new byte[rng.Next(0, 30)];
        rng.NextBytes(b);
        return b;
    }

    private static string RandomString(Random rng, int min, int max)
    {
        string[] pieces = ["a", "Z", "0", "-", " ", "é", "日本", "🌍", "\u0000", "\"", "\\", "ß", "$"];
        var sb = new StringBuilder();
        for (var i = rng.Next(min, max + 1); i > 0; i--)
        {
            sb.Append(pieces[rng.Next(pieces.Length)]);
        }
        return sb.ToString();
    }
}
