using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Pds.Core.Ipld;
using Pds.Functions.Hosting;

namespace Pds.Functions.Tests.Server;

/// <summary>A PDS with a small blob limit, so the 413 paths need no large uploads.</summary>
public sealed class SmallBlobServerFixture : PdsServerFixture
{
    public const int Limit = 64 * 1024;

    protected override PdsConfig Configure(PdsConfig config) => config with { BlobUploadLimit = Limit };
}

/// <summary>uploadBlob, getBlob, listBlobs, listMissingBlobs, and records that reference blobs.</summary>
public class BlobTests(SmallBlobServerFixture server) : IClassFixture<SmallBlobServerFixture>
{
    private XrpcClient Xrpc => server.Xrpc;

    [Fact]
    public async Task Upload_SniffsPng_ThenARecordMakesItServable()
    {
        var account = await server.CreateAccountAsync("blob");
        var png = Png(4000);
        var blob = (await Upload(account, png, "application/octet-stream")).Ok().Json["blob"]!;
        Assert.Equal("blob", (string?)blob["$type"]);
        Assert.Equal("image/png", (string?)blob["mimeType"]);
        Assert.Equal(png.Length, (int)blob["size"]!);
        var cid = (string)blob["ref"]!["$link"]!;
        Assert.Equal(Cid.ForRaw(png).ToString(), cid);

        // Uploaded but not referenced yet: not served, not listed.
        (await GetBlob(account.Did, cid)).Fails(400, "BlobNotFound");
        Assert.Empty(await ListBlobs(account.Did));

        (await server.CreateRecordAsync(account, "app.bsky.feed.post", WithImage(blob))).Ok();
        var served = (await GetBlob(account.Did, cid)).Ok();
        Assert.Equal(png, served.Body);
        Assert.Equal("image/png", served.MediaType);
        Assert.Equal(["nosniff"], served.Message.Headers.GetValues("x-content-type-options"));
        Assert.Contains("default-src 'none'", served.Message.Headers.GetValues("content-security-policy").Single());
        Assert.Equal([cid], await ListBlobs(account.Did));

        // Nothing is missing; the same bytes uploaded again are the same blob.
        Assert.Empty((await Xrpc.GetAsync("com.atproto.repo.listMissingBlobs", account.Bearer)).Ok().Json["blobs"]!.AsArray());
        var again = (await Upload(account, png, "image/png")).Ok().Json["blob"]!;
        Assert.Equal(cid, (string?)again["ref"]!["$link"]);

        // Another account does not serve it.
        var other = await server.CreateAccountAsync("noblob");
        (await GetBlob(other.Did, cid)).Fails(400, "BlobNotFound");
    }

    [Fact]
    public async Task Upload_KeepsTheClaimedTypeWhenBytesSayNothing()
    {
        var account = await server.CreateAccountAsync("text");
        var blob = (await Upload(account, "plain words"u8.ToArray(), "text/plain")).Ok().Json["blob"]!;
        Assert.Equal("text/plain", (string?)blob["mimeType"]);
        // A client claiming text/html for a PNG gets the sniffed type.
        var png = (await Upload(account, Png(100), "text/html")).Ok().Json["blob"]!;
        Assert.Equal("image/png", (string?)png["mimeType"]);
    }

    [Fact]
    public async Task Upload_OverTheLimit_Is413()
    {
        var account = await server.CreateAccountAsync("big");
        (await Upload(account, Png(SmallBlobServerFixture.Limit + 1), "image/png")).Fails(413, "PayloadTooLarge");
        // Without a Content-Length (chunked), the limit is enforced while streaming.
        var chunked = new StreamContent(new NoLengthStream(Png(SmallBlobServerFixture.Limit + 1)));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        (await Xrpc.PostAsync("com.atproto.repo.uploadBlob", chunked, account.Bearer)).Fails(413, "PayloadTooLarge");
        // Exactly at the limit is fine.
        (await Upload(account, Png(SmallBlobServerFixture.Limit), "image/png")).Ok();
        (await Xrpc.PostAsync("com.atproto.repo.uploadBlob", new ByteArrayContent(Png(10)))).Fails(401, "AuthenticationRequired");
    }

    [Fact]
    public async Task Record_ReferencingUnknownOrMismatchedBlob_IsRefused()
    {
        var account = await server.CreateAccountAsync("ghost");
        var ghost = new JsonObject
        {
            ["$type"] = "blob",
            ["ref"] = new JsonObject { ["$link"] = Cid.ForRaw(Png(50)).ToString() },
            ["mimeType"] = "image/png",
            ["size"] = 50,
        };
        (await server.CreateRecordAsync(account, "app.bsky.feed.post", WithImage(ghost))).Fails(400, "BlobNotFound");

        var blob = (await Upload(account, Png(300), "image/png")).Ok().Json["blob"]!.AsObject();
        var wrongSize = (JsonObject)blob.DeepClone();
        wrongSize["size"] = 301;
        (await server.CreateRecordAsync(account, "app.bsky.feed.post", WithImage(wrongSize))).Fails(400, "InvalidRequest");
        var wrongType = (JsonObject)blob.DeepClone();
        wrongType["mimeType"] = "image/jpeg";
        (await server.CreateRecordAsync(account, "app.bsky.feed.post", WithImage(wrongType))).Fails(400, "InvalidRequest");
        // Someone else's upload is not yours to reference.
        var other = await server.CreateAccountAsync("thief");
        (await server.CreateRecordAsync(other, "app.bsky.feed.post", WithImage(blob))).Fails(400, "BlobNotFound");
        Assert.Empty(await ListBlobs(account.Did));
    }

    [Fact]
    public async Task GetBlobAndListBlobs_ValidateInput()
    {
        var account = await server.CreateAccountAsync("blobargs");
        (await Xrpc.GetAsync("com.atproto.sync.getBlob", ("did", account.Did), ("cid", "not-a-cid"))).Fails(400, "InvalidRequest");
        (await Xrpc.GetAsync("com.atproto.sync.getBlob", ("did", account.Did))).Fails(400, "InvalidRequest");
        (await GetBlob("did:plc:aaaaaaaaaaaaaaaaaaaaaaaa", Cid.ForRaw(Png(1)).ToString())).Fails(400, "RepoNotFound");
        (await Xrpc.GetAsync("com.atproto.sync.listBlobs", ("did", account.Did), ("limit", "0"))).Fails(400, "InvalidRequest");
        (await Xrpc.GetAsync("com.atproto.repo.listMissingBlobs")).Fails(401, "AuthenticationRequired");
    }

    [Fact]
    public async Task ListBlobs_PagesByCursor()
    {
        var account = await server.CreateAccountAsync("blobpage");
        var cids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var blob = (await Upload(account, Png(200 + i), "image/png")).Ok().Json["blob"]!;
            await server.CreateRecordAsync(account, "app.bsky.feed.post", WithImage(blob));
            cids.Add((string)blob["ref"]!["$link"]!);
        }
        var seen = (await Xrpc.PageAllAsync("com.atproto.sync.listBlobs", "cids", ("did", account.Did), ("limit", "2"))).Select(c => (string)c!);
        Assert.Equal(cids.Order(StringComparer.Ordinal), seen);
    }

    /// <summary>
    /// With since, the blobs of records whose latest write is after that rev: an update moves a
    /// record's blobs to its new rev even when they are unchanged, a blob-free write lists nothing.
    /// </summary>
    [Fact]
    public async Task ListBlobs_Since_OnlyBlobsOfRecordsWrittenAfterTheRev()
    {
        var account = await server.CreateAccountAsync("blobsince");
        var blobs = new List<JsonNode>();
        var revs = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var blob = (await Upload(account, Png(300 + i), "image/png")).Ok().Json["blob"]!;
            var created = (await server.CreateRecordAsync(account, "app.bsky.feed.post", WithImage(blob), rkey: $"3aaaaaaaaaa{i + 2}2")).Ok().Json;
            blobs.Add(blob);
            revs.Add((string)created["commit"]!["rev"]!);
        }
        var cids = blobs.Select(b => (string)b["ref"]!["$link"]!).ToList();
        // The first post edited with the same image; then a post without one.
        var edited = WithImage(blobs[0]);
        edited["text"] = "edited";
        var put = (await Xrpc.PostAsync("com.atproto.repo.putRecord",
            new JsonObject { ["repo"] = account.Did, ["collection"] = "app.bsky.feed.post", ["rkey"] = "3aaaaaaaaaa22", ["record"] = edited },
            account.Bearer)).Ok().Json;
        var editRev = (string)put["commit"]!["rev"]!;
        var plain = (string)(await server.PostAsync(account, "no image"))["commit"]!["rev"]!;

        Assert.Equal(cids.Order(StringComparer.Ordinal), await ListBlobs(account.Did, ("since", revs[0])));
        Assert.Equal(new[] { cids[0], cids[2] }.Order(StringComparer.Ordinal), await ListBlobs(account.Did, ("since", revs[1])));
        Assert.Equal([cids[0]], await ListBlobs(account.Did, ("since", revs[2])));
        Assert.Empty(await ListBlobs(account.Did, ("since", editRev)));
        Assert.Empty(await ListBlobs(account.Did, ("since", plain)));
        var paged = (await Xrpc.PageAllAsync("com.atproto.sync.listBlobs", "cids", ("did", account.Did), ("since", revs[1]), ("limit", "1")))
            .Select(c => (string)c!);
        Assert.Equal(new[] { cids[0], cids[2] }.Order(StringComparer.Ordinal), paged);
        Assert.Equal(cids.Order(StringComparer.Ordinal), await ListBlobs(account.Did));

        foreach (var bad in new[] { "not-a-tid", "", "3aaaaaaaaaa2", revs[0] + "2" })
        {
            var error = (await Xrpc.GetAsync("com.atproto.sync.listBlobs", ("did", account.Did), ("since", bad))).Fails(400, "InvalidRequest");
            Assert.Contains("since", error.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetBlob_ByteRanges_PartialContentOr416()
    {
        var account = await server.CreateAccountAsync("range");
        var png = Png(5000);
        var blob = (await Upload(account, png, "image/png")).Ok().Json["blob"]!;
        (await server.CreateRecordAsync(account, "app.bsky.feed.post", WithImage(blob))).Ok();
        var url = $"xrpc/com.atproto.sync.getBlob?did={account.Did}&cid={(string)blob["ref"]!["$link"]!}";

        async Task<HttpResponseMessage> GetAsync(string? range)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (range is not null)
            {
                request.Headers.TryAddWithoutValidation("Range", range);
            }
            return await server.Http.SendAsync(request);
        }

        var middle = await GetAsync("bytes=100-199");
        Assert.Equal(System.Net.HttpStatusCode.PartialContent, middle.StatusCode);
        Assert.Equal(png[100..200], await middle.Content.ReadAsByteArrayAsync());
        Assert.Equal("bytes 100-199/5000", middle.Content.Headers.ContentRange?.ToString());

        Assert.Equal(png[4990..], await (await GetAsync("bytes=-10")).Content.ReadAsByteArrayAsync());
        Assert.Equal(png[4000..], await (await GetAsync("bytes=4000-")).Content.ReadAsByteArrayAsync());
        Assert.Equal(png[4900..], await (await GetAsync("bytes=4900-999999")).Content.ReadAsByteArrayAsync());

        var beyond = await GetAsync("bytes=5000-");
        Assert.Equal(System.Net.HttpStatusCode.RequestedRangeNotSatisfiable, beyond.StatusCode);
        Assert.Equal("bytes */5000", beyond.Content.Headers.ContentRange?.ToString());

        // Several ranges or nonsense: the whole blob, as HTTP allows.
        foreach (var whole in new[] { "bytes=0-1,5-6", "pages=1-2", "bytes=oops" })
        {
            var all = await GetAsync(whole);
            Assert.Equal(System.Net.HttpStatusCode.OK, all.StatusCode);
            Assert.Equal(png, await all.Content.ReadAsByteArrayAsync());
        }
    }

    internal static byte[] Png(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        signature.AsSpan(0, Math.Min(8, length)).CopyTo(bytes);
        return bytes;
    }

    private Task<XrpcResponse> Upload(TestAccount account, byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return Xrpc.PostAsync("com.atproto.repo.uploadBlob", content, account.Bearer);
    }

    private Task<XrpcResponse> GetBlob(string did, string cid) => Xrpc.GetAsync("com.atproto.sync.getBlob", ("did", did), ("cid", cid));

    private async Task<List<string>> ListBlobs(string did, params (string Name, string Value)[] query) =>
        (await Xrpc.GetAsync("com.atproto.sync.listBlobs", [("did", did), .. query])).Ok().Json["cids"]!.AsArray().Select(c => (string)c!).ToList();

    internal static JsonObject WithImage(JsonNode blob) => new()
    {
        ["text"] = "look",
        ["createdAt"] = "2026-01-01T00:00:00.000Z",
        ["embed"] = new JsonObject
        {
            ["$type"] = "app.bsky.embed.images",
            ["images"] = new JsonArray(new JsonObject { ["alt"] = "", ["image"] = blob.DeepClone() }),
        },
    };
}
