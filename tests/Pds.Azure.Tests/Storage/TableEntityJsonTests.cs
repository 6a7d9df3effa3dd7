using System.Text;
using System.Text.Json;
using Pds.Azure.Storage;

namespace Pds.Azure.Tests.Storage;

public sealed class TableEntityJsonTests
{
    [Fact]
    public void Serialize_AnnotatesWhatJsonCannotInfer_OnOneLine()
    {
        var entity = new TableEntity("did:plc:abc", "app.bsky.feed.post!3k2a")
            .Set("Cid", "bafyrei")
            .Set("Block", new byte[] { 1, 0x71, 0x12, 0x20 })
            .Set("Seq", 9007199254740993L)
            .Set("N", 1)
            .Set("Deleted", false)
            .Set("At", new DateTimeOffset(2026, 11, 22, 2, 4, 43, TimeSpan.Zero))
            .Set("Id", Guid.Parse("5b7c1a8e-8f1d-4f1e-9c1b-1d2f3e4a5b6c"))
            .Set("D", 2.0)
            .Set("Nan", double.NaN);

        var json = Encoding.UTF8.GetString(TableEntityJson.Serialize(entity));

        Assert.Equal(
            "{\"PartitionKey\":\"did:plc:abc\",\"RowKey\":\"app.bsky.feed.post!3k2a\"," +
            "\"Cid\":\"bafyrei\",\"Block\":\"AXESIA==\",\"Block@odata.type\":\"Edm.Binary\"," +
            "\"Seq\":\"9007199254740993\",\"Seq@odata.type\":\"Edm.Int64\",\"N\":1,\"Deleted\":false," +
            "\"At\":\"2026-11-22T02:04:43.0000000Z\",\"At@odata.type\":\"Edm.DateTime\"," +
            "\"Id\":\"5b7c1a8e-8f1d-4f1e-9c1b-1d2f3e4a5b6c\",\"Id@odata.type\":\"Edm.Guid\"," +
            "\"D\":2,\"D@odata.type\":\"Edm.Double\",\"Nan\":\"NaN\",\"Nan@odata.type\":\"Edm.Double\"}",
            json);
    }

    [Fact]
    public void Serialize_NonAsciiAndNewlines_StayOnOneAsciiLine()
    {
        var json = TableEntityJson.Serialize(new TableEntity("p", "r").Set("T", "é\r\n✓"));
        Assert.All(json, b => Assert.True(b is >= 0x20 and < 0x7f));
    }

    [Fact]
    public void Read_MinimalMetadata_RestoresTypesKeysETagAndTimestamp()
    {
        const string json = """
            {"odata.metadata":"http://x/$metadata#pds/@Element","odata.etag":"W/\"datetime'2026-11-22T02%3A04%3A48.9689575Z'\"",
             "PartitionKey":"p","RowKey":"r","Timestamp":"2026-11-22T02:04:48.9689575Z",
             "Block@odata.type":"Edm.Binary","Block":"AXESIA==","Seq@odata.type":"Edm.Int64","Seq":"-5",
             "At@odata.type":"Edm.DateTime","At":"2026-01-01T00:00:00Z","Id@odata.type":"Edm.Guid","Id":"5b7c1a8e-8f1d-4f1e-9c1b-1d2f3e4a5b6c",
             "N":42,"D":2.0,"F":0.5,"Inf@odata.type":"Edm.Double","Inf":"-Infinity","B":true,"S":"s"}
            """;
        using var doc = JsonDocument.Parse(json);

        var e = TableEntityJson.Read(doc.RootElement, etag: null);

        Assert.Equal("W/\"datetime'2026-11-22T02%3A04%3A48.9689575Z'\"", e.ETag);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 2, 4, 48, TimeSpan.Zero).AddTicks(9689575), e.Timestamp);
        Assert.Equal(new byte[] { 1, 0x71, 0x12, 0x20 }, e.GetBinary("Block"));
        Assert.Equal(-5L, e.GetInt64("Seq"));
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), e.GetDateTimeOffset("At"));
        Assert.Equal(Guid.Parse("5b7c1a8e-8f1d-4f1e-9c1b-1d2f3e4a5b6c"), e.GetGuid("Id"));
        Assert.Equal(42, e.GetInt32("N"));
        Assert.Equal(2.0, e.GetDouble("D"));
        Assert.Equal(0.5, e.GetDouble("F"));
        Assert.Equal(double.NegativeInfinity, e.GetDouble("Inf"));
        Assert.True(e.GetBoolean("B"));
        Assert.Equal("s", e.GetString("S"));
        Assert.Equal(10, e.Properties.Count);
    }

    [Fact]
    public void Set_UnsupportedTypeOrReservedName_Throws()
    {
        var e = new TableEntity("p", "r");
        Assert.Throws<ArgumentException>(() => e.Set("X", DateTime.UtcNow));
        Assert.Throws<ArgumentException>(() => e.Set("X", 1.5f));
        Assert.Throws<ArgumentException>(() => e.Set("RowKey", "x"));
        Assert.Throws<ArgumentException>(() => e.Set("a@odata.type", "x"));
        Assert.Throws<InvalidCastException>(() => e.Set("N", 1).GetInt64("N"));
        e["N"] = null;
        Assert.Empty(e.Properties);
    }
}
