using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Pds.Azure.Storage;

namespace Pds.Azure.Tests.Storage;

/// <summary>What the pipeline puts on the wire, checked without a server.</summary>
public sealed class StoragePipelineTests
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static StorageClientOptions Options(RecordingHandler handler, TimeProvider? clock = null)
    {
        var options = new StorageClientOptions { Transport = new HttpClientTransport(new HttpClient(handler)) };
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
        if (clock is not null)
        {
            options.Clock = clock;
        }
        return options;
    }

    private static string Sign(string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(Key), Encoding.UTF8.GetBytes(stringToSign)));

    [Fact]
    public async Task SharedKey_SignsExactlyWhatGoesOnTheWire()
    {
        var handler = new RecordingHandler().Then(HttpStatusCode.Created, r => r.Headers.ETag = new("\"0x1\""));
        var connection = StorageConnection.Development(new Uri("http://127.0.0.1:10000"), new Uri("http://127.0.0.1:10001"), new Uri("http://127.0.0.1:10002"));
        var blobs = new BlobClient(connection, "blobs", Options(handler));

        await blobs.UploadAsync("did:plc:abc/bafkrei", new byte[] { 1, 2, 3 }, "image/png", createOnly: true);

        var sent = Assert.Single(handler.Requests);
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1/blobs/did%3Aplc%3Aabc/bafkrei", sent.Uri.AbsoluteUri);
        Assert.Equal("3", sent.Header("Content-Length"));
        Assert.Equal("image/png", sent.Header("Content-Type"));
        Assert.Equal("*", sent.Header("If-None-Match"));
        Assert.Equal("2025-01-05", sent.Header("x-ms-version"));
        Assert.Null(sent.Header("Date"));
        var headers = sent.Headers.Where(h => h.Key != "Content-Length");
        var expected = SharedKeyPolicy.BuildStringToSign("devstoreaccount1", "PUT", sent.Uri, headers, 3);
        Assert.Equal("SharedKey devstoreaccount1:" + Sign(expected), sent.Header("Authorization"));
        Assert.Equal(new byte[] { 1, 2, 3 }, sent.Body);
    }

    [Fact]
    public async Task SharedKey_RetriedRequest_IsResignedWithANewDate_AndCountedTwice()
    {
        var handler = new RecordingHandler().Then(HttpStatusCode.ServiceUnavailable).Then(HttpStatusCode.Created);
        var clock = new SteppingClock(new DateTimeOffset(2026, 11, 22, 2, 4, 43, TimeSpan.Zero));
        var queue = new QueueClient(StorageConnection.WithSharedKey("acct", Key, null, new Uri("https://acct.queue.core.windows.net"), null), "pds-seq", Options(handler, clock));

        Assert.True(await queue.CreateIfNotExistsAsync());

        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(2, queue.Requests.Count);
        var (first, second) = (handler.Requests[0], handler.Requests[1]);
        Assert.Equal("Sun, 22 Nov 2026 02:04:43 GMT", first.Header("x-ms-date"));
        Assert.Equal("Sun, 22 Nov 2026 02:05:43 GMT", second.Header("x-ms-date"));
        Assert.NotEqual(first.Header("Authorization"), second.Header("Authorization"));
        foreach (var sent in handler.Requests)
        {
            var toSign = SharedKeyPolicy.BuildStringToSign("acct", "PUT", sent.Uri, sent.Headers, null);
            Assert.Equal("SharedKey acct:" + Sign(toSign), sent.Header("Authorization"));
        }
        Assert.Equal(2, queue.Requests.Reset());
        Assert.Equal(0, queue.Requests.Count);
    }

    [Fact]
    public async Task TableSharedKeyLite_SignsDateAndResource()
    {
        var handler = new RecordingHandler().Then(HttpStatusCode.NoContent, r => r.Headers.TryAddWithoutValidation("ETag", "W/\"datetime'2026-11-22T02%3A04%3A48.9689575Z'\""));
        var clock = new SteppingClock(new DateTimeOffset(2026, 11, 22, 2, 4, 43, TimeSpan.Zero));
        var table = new TableClient(StorageConnection.WithSharedKey("acct", Key, null, null, new Uri("https://acct.table.core.windows.net")), "pds", Options(handler, clock));

        var etag = await table.UpsertAsync(new TableEntity("did:plc:abc", "app.bsky.feed.post!3k2a").Set("N", 1));

        var sent = Assert.Single(handler.Requests);
        Assert.Equal("https://acct.table.core.windows.net/pds(PartitionKey='did%3Aplc%3Aabc',RowKey='app.bsky.feed.post%213k2a')", sent.Uri.AbsoluteUri);
        Assert.Equal("SharedKeyLite acct:" + Sign("Sun, 22 Nov 2026 02:04:43 GMT\n/acct/pds(PartitionKey='did%3Aplc%3Aabc',RowKey='app.bsky.feed.post%213k2a')"), sent.Header("Authorization"));
        Assert.Equal("application/json;odata=minimalmetadata", sent.Header("Accept"));
        Assert.Equal("2019-02-02", sent.Header("x-ms-version"));
        Assert.Equal("3.0;NetFx", sent.Header("DataServiceVersion"));
        Assert.Null(sent.Header("If-Match"));
        Assert.Equal("{\"PartitionKey\":\"did:plc:abc\",\"RowKey\":\"app.bsky.feed.post!3k2a\",\"N\":1}", Encoding.UTF8.GetString(sent.Body!));
        Assert.Equal("W/\"datetime'2026-11-22T02%3A04%3A48.9689575Z'\"", etag);
    }

    [Fact]
    public async Task Bearer_RequestsTheStorageScope_AndSendsNoSharedKey()
    {
        var handler = new RecordingHandler().Then(HttpStatusCode.OK, r => r.Content = new StringContent("{\"value\":[]}"));
        var credential = new FakeCredential();
        var table = new TableClient(StorageConnection.WithCredential("acct", credential), "pds", Options(handler));

        var page = await table.QueryPageAsync(new TableQuery(TableFilter.PartitionKeyEquals("p"), Top: 5));

        Assert.Empty(page.Entities);
        Assert.Null(page.Continuation);
        var sent = Assert.Single(handler.Requests);
        Assert.Equal("Bearer token-1", sent.Header("Authorization"));
        Assert.Equal("https://acct.table.core.windows.net/pds()?$filter=PartitionKey%20eq%20%27p%27&$top=5", sent.Uri.AbsoluteUri);
        Assert.Equal(["https://storage.azure.com/.default"], credential.Scopes);
    }

    [Fact]
    public async Task Query_ContinuationHeaders_BecomeTheNextRequestsParameters()
    {
        var handler = new RecordingHandler()
            .Then(HttpStatusCode.OK, r =>
            {
                r.Content = new StringContent("{\"value\":[]}");
                r.Headers.Add("x-ms-continuation-NextPartitionKey", "1!8!cDE-");
            })
            .Then(HttpStatusCode.OK, r => r.Content = new StringContent("{\"value\":[{\"odata.etag\":\"W/\\\"x\\\"\",\"PartitionKey\":\"p1\",\"RowKey\":\"r\"}]}"));
        var table = new TableClient(StorageConnection.WithSharedKey("acct", Key, null, null, new Uri("https://acct.table.core.windows.net")), "pds", Options(handler));

        var rows = new List<TableEntity>();
        await foreach (var e in table.QueryAsync(new TableQuery()))
        {
            rows.Add(e);
        }

        Assert.Equal("W/\"x\"", Assert.Single(rows).ETag);
        Assert.Equal(2, handler.Requests.Count);
        // Only NextPartitionKey was sent back: no empty NextRowKey=.
        Assert.Equal("?NextPartitionKey=1%218%21cDE-", handler.Requests[1].Uri.Query);
    }

    [Fact]
    public async Task Errors_CarryStatusAndCode_ButNeitherQueryNorKey()
    {
        var handler = new RecordingHandler().Then(HttpStatusCode.Forbidden, r =>
        {
            r.Headers.Add("x-ms-error-code", "AuthenticationFailed");
            r.Content = new StringContent("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request.\nRequestId:1</Message></Error>");
        });
        var blobs = new BlobClient(StorageConnection.WithSharedKey("acct", Key, new Uri("https://acct.blob.core.windows.net"), null, null), "blobs", Options(handler));

        var e = await Assert.ThrowsAsync<StorageRequestException>(() => blobs.ListPageAsync("secret-prefix"));

        Assert.Equal(403, e.Status);
        Assert.Equal("AuthenticationFailed", e.ErrorCode);
        Assert.Equal("storage request GET /blobs failed: 403 AuthenticationFailed: Server failed to authenticate the request.", e.Message);
        Assert.DoesNotContain(Key, e.ToString());
    }

    private sealed class FakeCredential : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new NotSupportedException("async only");

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return ValueTask.FromResult(new AccessToken("token-" + Scopes.Count, DateTimeOffset.UtcNow.AddHours(1)));
        }
    }
}
