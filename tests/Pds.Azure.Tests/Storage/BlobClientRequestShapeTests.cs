using System.Net;
using System.Text;
using Azure.Core.Pipeline;
using Pds.Azure.Storage;

namespace Pds.Azure.Tests.Storage;

/// <summary>
/// What Put Block, Put Block List and Copy Blob put on the wire, and the copy polling that
/// Azurite cannot exercise (it finishes every copy at once; Azure may answer "pending").
/// </summary>
public sealed class BlobClientRequestShapeTests
{
    private static BlobClient Client(RecordingHandler handler)
    {
        var options = new StorageClientOptions { Transport = new HttpClientTransport(new HttpClient(handler)) };
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
        var connection = StorageConnection.Development(new Uri("http://127.0.0.1:10000"), new Uri("http://127.0.0.1:10001"), new Uri("http://127.0.0.1:10002"));
        return new BlobClient(connection, "blobs", options);
    }

    private static Action<HttpResponseMessage> CopyStatus(string status) => r =>
    {
        r.Headers.Add("x-ms-copy-id", "c0py");
        r.Headers.Add("x-ms-copy-status", status);
        r.Content.Headers.ContentLength = 5;
    };

    [Fact]
    public async Task StageBlock_PutWithCompBlockAndEscapedId_BodyIsTheBlock()
    {
        var handler = new RecordingHandler().Then(HttpStatusCode.Created);
        var blobs = Client(handler);

        await blobs.StageBlockAsync("tmp/k", "ab+/cd==", new byte[] { 7, 8, 9 });

        var sent = Assert.Single(handler.Requests);
        Assert.Equal("PUT", sent.Method);
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1/blobs/tmp/k?comp=block&blockid=ab%2B%2Fcd%3D%3D", sent.Uri.AbsoluteUri);
        Assert.Equal("3", sent.Header("Content-Length"));
        Assert.Null(sent.Header("x-ms-blob-type"));
        Assert.Equal(new byte[] { 7, 8, 9 }, sent.Body);
    }

    [Fact]
    public async Task CommitBlockList_XmlBodyOfLatestIds_TypeAndMetadataHeaders()
    {
        var handler = new RecordingHandler().Then(HttpStatusCode.Created, r => r.Headers.ETag = new("\"0x1\""));
        var blobs = Client(handler);

        var result = await blobs.CommitBlockListAsync(
            "tmp/k", [BlobBlockId.FromIndex(0), BlobBlockId.FromIndex(1)], "image/png", createOnly: true,
            metadata: new Dictionary<string, string> { ["cid"] = "bafkreiabc" });

        var sent = Assert.Single(handler.Requests);
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1/blobs/tmp/k?comp=blocklist", sent.Uri.AbsoluteUri);
        Assert.Equal("application/xml", sent.Header("Content-Type"));
        Assert.Equal("image/png", sent.Header("x-ms-blob-content-type"));
        Assert.Equal("bafkreiabc", sent.Header("x-ms-meta-cid"));
        Assert.Equal("*", sent.Header("If-None-Match"));
        Assert.Equal(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList><Latest>MDAwMDAw</Latest><Latest>MDAwMDAx</Latest></BlockList>",
            Encoding.UTF8.GetString(sent.Body!));
        Assert.Equal("\"0x1\"", result.ETag);
    }

    [Fact]
    public async Task StartCopy_SourceIsTheAbsoluteEscapedUrlInThisContainer_WithConditions()
    {
        var handler = new RecordingHandler().Then(HttpStatusCode.Accepted, CopyStatus("success"));
        var blobs = Client(handler);

        var copy = await blobs.StartCopyAsync("did:plc:abc/bafkreiabc", "tmp/k", createOnly: true, sourceIfMatch: "\"0x9\"");

        var sent = Assert.Single(handler.Requests);
        Assert.Equal("PUT", sent.Method);
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1/blobs/did%3Aplc%3Aabc/bafkreiabc", sent.Uri.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1/blobs/tmp/k", sent.Header("x-ms-copy-source"));
        Assert.Equal("*", sent.Header("If-None-Match"));
        Assert.Equal("\"0x9\"", sent.Header("x-ms-source-if-match"));
        Assert.Equal(new BlobCopyState("c0py", "success", null), copy);
    }

    [Fact]
    public async Task WaitForCopy_PendingTwice_PollsUntilSuccess()
    {
        var handler = new RecordingHandler()
            .Then(HttpStatusCode.OK, CopyStatus("pending"))
            .Then(HttpStatusCode.OK, CopyStatus("pending"))
            .Then(HttpStatusCode.OK, CopyStatus("success"));
        var blobs = Client(handler);

        var props = await blobs.WaitForCopyAsync("dst", TimeSpan.FromSeconds(30));

        Assert.Equal(BlobCopyStatus.Success, props.Copy!.Status);
        Assert.Equal(3, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal("HEAD", r.Method));
    }

    [Fact]
    public async Task WaitForCopy_FailedCopy_ReturnedWithItsDescription()
    {
        var handler = new RecordingHandler().Then(HttpStatusCode.OK, r =>
        {
            CopyStatus("failed")(r);
            r.Headers.Add("x-ms-copy-status-description", "500 InternalError");
        });
        var blobs = Client(handler);

        var props = await blobs.WaitForCopyAsync("dst", TimeSpan.FromSeconds(30));

        Assert.Equal(new BlobCopyState("c0py", "failed", "500 InternalError"), props.Copy);
    }

    [Fact]
    public async Task WaitForCopy_StillPendingAtTheDeadline_TimesOut()
    {
        var handler = new RecordingHandler();
        for (var i = 0; i < 20; i++)
        {
            handler.Then(HttpStatusCode.OK, CopyStatus("pending"));
        }
        var blobs = Client(handler);

        await Assert.ThrowsAsync<TimeoutException>(() => blobs.WaitForCopyAsync("dst", TimeSpan.FromMilliseconds(250)));
        Assert.InRange(handler.Requests.Count, 2, 4);
    }
}
