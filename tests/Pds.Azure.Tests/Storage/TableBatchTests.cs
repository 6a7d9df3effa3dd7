using System.Text;
using Pds.Azure.Storage;

namespace Pds.Azure.Tests.Storage;

/// <summary>The $batch body and response parser, against the worked example of AZURE.md 3.6.</summary>
public sealed class TableBatchTests
{
    private const string Batch = "batch_5b7c1a8e-8f1d-4f1e-9c1b-1d2f3e4a5b6c";
    private const string Changeset = "changeset_0c7a2e4d-3b5f-4a6e-8d9c-7b1a2f3e4d5c";

    [Fact]
    public void BuildBody_MatchesTheWorkedExample_ByteForByte()
    {
        var actions = new[]
        {
            TableTransactionAction.Insert(new TableEntity("p1", "a").Set("V", 1)),
            TableTransactionAction.Upsert(new TableEntity("p1", "c").Set("V", 3)),
            TableTransactionAction.Delete("p1", "z"),
        };

        var body = TableBatch.BuildBody(new Uri("http://127.0.0.1:10002/devstoreaccount1"), "pds", actions, Batch, Changeset);

        var expected = string.Join("\r\n",
            "--" + Batch,
            "Content-Type: multipart/mixed; boundary=" + Changeset,
            "",
            "--" + Changeset,
            "Content-Type: application/http",
            "Content-Transfer-Encoding: binary",
            "",
            "POST http://127.0.0.1:10002/devstoreaccount1/pds HTTP/1.1",
            "Accept: application/json;odata=minimalmetadata",
            "DataServiceVersion: 3.0;",
            "Prefer: return-no-content",
            "Content-Type: application/json",
            "",
            "{\"PartitionKey\":\"p1\",\"RowKey\":\"a\",\"V\":1}",
            "--" + Changeset,
            "Content-Type: application/http",
            "Content-Transfer-Encoding: binary",
            "",
            "PUT http://127.0.0.1:10002/devstoreaccount1/pds(PartitionKey='p1',RowKey='c') HTTP/1.1",
            "Accept: application/json;odata=minimalmetadata",
            "DataServiceVersion: 3.0;",
            "Content-Type: application/json",
            "",
            "{\"PartitionKey\":\"p1\",\"RowKey\":\"c\",\"V\":3}",
            "--" + Changeset,
            "Content-Type: application/http",
            "Content-Transfer-Encoding: binary",
            "",
            "DELETE http://127.0.0.1:10002/devstoreaccount1/pds(PartitionKey='p1',RowKey='z') HTTP/1.1",
            "Accept: application/json;odata=minimalmetadata",
            "DataServiceVersion: 3.0;",
            "If-Match: *",
            "",
            "--" + Changeset + "--",
            "--" + Batch + "--",
            "");
        Assert.Equal(expected, Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void BuildBody_UpdatesCarryIfMatch_MergeUsesMergeVerb()
    {
        var entity = new TableEntity("p", "r") { ETag = "W/\"datetime'x'\"" }.Set("V", 1);
        var body = Encoding.UTF8.GetString(TableBatch.BuildBody(
            new Uri("https://acct.table.core.windows.net/"), "pds",
            [TableTransactionAction.Update(entity, mode: TableUpdateMode.Merge), TableTransactionAction.Upsert(new TableEntity("p", "s"), TableUpdateMode.Merge)],
            Batch, Changeset));

        Assert.Contains("MERGE https://acct.table.core.windows.net/pds(PartitionKey='p',RowKey='r') HTTP/1.1\r\n", body);
        Assert.Contains("If-Match: W/\"datetime'x'\"\r\n", body);
        Assert.Single(body.Split("If-Match").Skip(1));
    }

    [Fact]
    public void ParseResponse_Success_OneResultPerActionInOrder()
    {
        const string body =
            "--batchresponse_2db9\r\nContent-Type: multipart/mixed; boundary=changesetresponse_cb9f\r\n\r\n" +
            "--changesetresponse_cb9f\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
            "HTTP/1.1 204 No Content\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-cache\r\nDataServiceVersion: 3.0;\r\n" +
            "Location: http://x/pds(PartitionKey='p1',RowKey='a')\r\nDataServiceId: http://x/pds(PartitionKey='p1',RowKey='a')\r\n" +
            "ETag: W/\"datetime'2026-11-22T02%3A04%3A43.8057994Z'\"\r\n\r\n" +
            "--changesetresponse_cb9f\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
            "HTTP/1.1 201 Created\r\nContent-Type: application/json;odata=minimalmetadata\r\nETag: W/\"e2\"\r\n\r\n{\"PartitionKey\":\"p1\",\"RowKey\":\"b\"}\r\n" +
            "--changesetresponse_cb9f\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
            "HTTP/1.1 204 No Content\r\n\r\n" +
            "--changesetresponse_cb9f--\r\n--batchresponse_2db9--\r\n";

        var results = TableBatch.ParseResponse("multipart/mixed; boundary=batchresponse_2db9", body, 3, "/devstoreaccount1/$batch");

        Assert.Equal(
            [new(204, "W/\"datetime'2026-11-22T02%3A04%3A43.8057994Z'\""), new(201, "W/\"e2\""), new TableTransactionResult(204, null)],
            results);
    }

    [Fact]
    public void ParseResponse_Failure_ThrowsWithIndexFromTheMessage()
    {
        // As Azurite 3.37 answers a conflicting insert at index 2 (Content-ID is 1-based there).
        const string body =
            "--batchresponse_32d4\r\nContent-Type: multipart/mixed; boundary=changesetresponse_c726\r\n\r\n" +
            "--changesetresponse_c726\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
            "HTTP/1.1 409 Conflict\r\nContent-ID: 3\r\nDataServiceVersion: 3.0;\r\nContent-Type: application/json;odata=minimalmetadata;charset=utf-8\r\n\r\n" +
            "{\"odata.error\":{\"code\":\"EntityAlreadyExists\",\"message\":{\"lang\":\"en-US\",\"value\":\"2:The specified entity already exists.\\nRequestId:ef1d\\nTime:2026-11-22T04:18:55.295Z\"}}}\r\n" +
            "--changesetresponse_c726--\r\n--batchresponse_32d4--\r\n";

        var e = Assert.Throws<TableTransactionFailedException>(
            () => TableBatch.ParseResponse("multipart/mixed; boundary=batchresponse_32d4", body, 4, "/devstoreaccount1/$batch"));

        Assert.Equal(2, e.FailedActionIndex);
        Assert.Equal(409, e.Status);
        Assert.Equal("EntityAlreadyExists", e.ErrorCode);
        Assert.Equal("storage request POST /devstoreaccount1/$batch failed: 409 EntityAlreadyExists: 2:The specified entity already exists. (action 2; nothing was committed)", e.Message);
    }

    [Fact]
    public void ParseResponse_PartCountMismatch_IsAFormatError() =>
        Assert.Throws<FormatException>(() => TableBatch.ParseResponse(
            "multipart/mixed; boundary=b",
            "--b\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n--b--\r\n", 2, "/$batch"));
}
