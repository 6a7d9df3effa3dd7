using System.Text;
using Pds.Azure.Storage;

namespace Pds.Azure.Tests.Storage;

/// <summary>Blob list and queue XML parsing, error bodies.</summary>
public sealed class StorageFormatTests
{
    private const string BlobList =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults ServiceEndpoint=\"https://acct.blob.core.windows.net/\" ContainerName=\"blobs\">" +
        "<Prefix>blobs/did:plc:abc/</Prefix><MaxResults>2</MaxResults><Blobs>" +
        "<Blob><Name>blobs/did:plc:abc/a</Name><Properties><Last-Modified>Sun, 22 Nov 2026 02:04:43 GMT</Last-Modified><Etag>0x8DC1</Etag>" +
        "<Content-Length>16384</Content-Length><Content-Type>image/png</Content-Type></Properties></Blob>" +
        "<Blob><Name>blobs/did:plc:abc/b</Name><Properties><Content-Length>0</Content-Length><Content-Type /></Properties></Blob>" +
        "</Blobs><NextMarker>2!88!MDAwMDI0</NextMarker></EnumerationResults>";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BlobList_WithOrWithoutUtf8Bom_Parses(bool bom)
    {
        var bytes = Encoding.UTF8.GetBytes(BlobList);
        if (bom)
        {
            bytes = [0xEF, 0xBB, 0xBF, .. bytes];
        }

        var page = BlobListXml.Parse(new MemoryStream(bytes));

        Assert.Equal("2!88!MDAwMDI0", page.NextMarker);
        Assert.Equal(2, page.Items.Count);
        Assert.Equal(new BlobItem("blobs/did:plc:abc/a", 16384, "image/png", "0x8DC1", new DateTimeOffset(2026, 11, 22, 2, 4, 43, TimeSpan.Zero)), page.Items[0]);
        Assert.Null(page.Items[1].ContentType);
    }

    [Fact]
    public void BlobList_EmptyNextMarker_MeansLastPage()
    {
        var page = BlobListXml.Parse(new MemoryStream(Encoding.UTF8.GetBytes("<EnumerationResults><Blobs /><NextMarker /></EnumerationResults>")));
        Assert.Empty(page.Items);
        Assert.Null(page.NextMarker);
    }

    [Fact]
    public void QueueMessages_ParseReceiptAndBody()
    {
        const string xml =
            "\uFEFF<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessagesList><QueueMessage><MessageId>800ae4b3</MessageId>" +
            "<InsertionTime>Sun, 22 Nov 2026 02:04:43 GMT</InsertionTime><ExpirationTime>Fri, 31 Dec 9999 23:59:59 GMT</ExpirationTime>" +
            "<PopReceipt>AgAAAAMAAAAAAAAAAgtnj8x+1QE=</PopReceipt><TimeNextVisible>Sun, 22 Nov 2026 02:04:53 GMT</TimeNextVisible>" +
            "<DequeueCount>2</DequeueCount><MessageText>eyJzZXEiOjF9</MessageText></QueueMessage></QueueMessagesList>";

        var m = QueueXml.Message(Assert.Single(QueueXml.Messages(new MemoryStream(Encoding.UTF8.GetBytes(xml)))));

        Assert.Equal("800ae4b3", m.MessageId);
        Assert.Equal("AgAAAAMAAAAAAAAAAgtnj8x+1QE=", m.PopReceipt);
        Assert.Equal("{\"seq\":1}", Encoding.UTF8.GetString(m.Body!));
        Assert.Equal(2, m.DequeueCount);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 2, 4, 53, TimeSpan.Zero), m.TimeNextVisible);
    }

    [Fact]
    public void QueueMessage_NotBase64_KeepsTextWithoutBody()
    {
        const string xml = "<QueueMessagesList><QueueMessage><MessageId>1</MessageId><InsertionTime>Sun, 22 Nov 2026 02:04:43 GMT</InsertionTime>" +
            "<ExpirationTime>Sun, 29 Nov 2026 02:04:43 GMT</ExpirationTime><DequeueCount>0</DequeueCount><MessageText>not base64!</MessageText></QueueMessage></QueueMessagesList>";
        var m = QueueXml.Message(Assert.Single(QueueXml.Messages(new MemoryStream(Encoding.UTF8.GetBytes(xml)))));
        Assert.Equal("not base64!", m.MessageText);
        Assert.Null(m.Body);
        Assert.Null(m.PopReceipt);
    }

    [Fact]
    public void PutMessageBody_IsTheDocumentedXml() =>
        Assert.Equal("<QueueMessage><MessageText>eyJzZXEiOjF9</MessageText></QueueMessage>", Encoding.UTF8.GetString(QueueXml.PutMessageBody("eyJzZXEiOjF9")));

    [Theory]
    [InlineData("{\"odata.error\":{\"code\":\"EntityAlreadyExists\",\"message\":{\"lang\":\"en-US\",\"value\":\"The specified entity already exists.\"}}}", "EntityAlreadyExists", "The specified entity already exists.")]
    [InlineData("{\"odata.error\":{\"code\":\"\",\"message\":{\"lang\":\"en-US\",\"value\":\"bad name\"}}}", null, "bad name")]
    [InlineData("\uFEFF<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>BlobAlreadyExists</Code><Message>exists</Message></Error>", "BlobAlreadyExists", "exists")]
    [InlineData("<Error><Code/><Message>m</Message></Error>", null, "m")]
    [InlineData("not json {", null, null)]
    [InlineData("", null, null)]
    public void ErrorBody_CodeAndMessage(string body, string? code, string? message) =>
        Assert.Equal((code, message), StorageErrors.ParseErrorBody(body));

    [Fact]
    public void ErrorCreate_MapsStatusesToTypes()
    {
        Assert.IsType<StorageNotFoundException>(StorageErrors.Create(404, "ResourceNotFound", "m"));
        Assert.IsType<StorageConflictException>(StorageErrors.Create(409, "EntityAlreadyExists", "m"));
        Assert.IsType<StorageConcurrencyException>(StorageErrors.Create(412, "UpdateConditionNotSatisfied", "m"));
        Assert.IsType<StorageRequestException>(StorageErrors.Create(500, null, "m"));
    }
}
