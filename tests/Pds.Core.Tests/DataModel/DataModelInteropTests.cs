using System.Text.Json;
using System.Text.Json.Nodes;
using Pds.Core.Cbor;
using Pds.Core.DataModel;
using Pds.Core.Ipld;
using Pds.Core.Tests.Interop;

namespace Pds.Core.Tests.DataModel;

public class DataModelInteropTests
{
    [InteropFact]
    public void Fixtures_EncodeDecodeAndCid_MatchExactly()
    {
        var fixtures = InteropFiles.Json("data-model/data-model-fixtures.json");
        Assert.Equal(3, fixtures.GetArrayLength());
        foreach (var f in fixtures.EnumerateArray())
        {
            var json = f.GetProperty("json");
            var expectedCbor = DataModelJson.DecodeBase64(f.GetProperty("cbor_base64").GetString()!);
            var value = DataModelJson.FromJson(json);

            var encoded = DagCbor.Encode(value);
            Assert.Equal(Convert.ToHexString(expectedCbor), Convert.ToHexString(encoded));

            var decoded = DagCbor.Decode(expectedCbor);
            Assert.Equal(value, decoded);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json.GetRawText()), JsonNode.Parse(DataModelJson.ToJsonString(decoded))));

            Assert.Equal(f.GetProperty("cid").GetString(), Cid.ForDagCbor(encoded).ToString());
        }
    }

    [InteropFact]
    public void Valid_Converts()
    {
        var cases = InteropFiles.Json("data-model/data-model-valid.json");
        Assert.Equal(5, cases.GetArrayLength());
        foreach (var c in cases.EnumerateArray())
        {
            var value = DataModelJson.FromJson(c.GetProperty("json"));
            Assert.Equal(value, DagCbor.Decode(DagCbor.Encode(value)));
        }
    }

    [InteropFact]
    public void Invalid_IsRejected()
    {
        var cases = InteropFiles.Json("data-model/data-model-invalid.json");
        Assert.Equal(12, cases.GetArrayLength());
        var accepted = new List<string>();
        foreach (var c in cases.EnumerateArray())
        {
            try
            {
                DataModelJson.FromJson(c.GetProperty("json"));
                accepted.Add(c.GetProperty("note").GetString()!);
            }
            catch (DataModelFormatException)
            {
            }
        }
        Assert.Empty(accepted);
    }

    [Fact]
    public void Parse_IntegralFloat_IsInteger()
    {
        var value = (DataMap)DataModelJson.Parse("{\"a\":123.0}"u8);
        Assert.Equal(DataValue.Of(123), value["a"]);
    }

    [Theory]
    [InlineData("{\"a\":1.5}")]
    [InlineData("{\"a\":1e400}")]
    [InlineData("[1]")]
    [InlineData("{\"a\":{\"$bytes\":\"@@@\"}}")]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("{")]
    public void Parse_Invalid_ThrowsFormatException(string json)
    {
        Assert.Throws<DataModelFormatException>(() => DataModelJson.Parse(System.Text.Encoding.UTF8.GetBytes(json)));
    }
}
