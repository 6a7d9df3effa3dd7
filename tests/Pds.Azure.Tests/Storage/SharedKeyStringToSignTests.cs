using Pds.Azure.Storage;

namespace Pds.Azure.Tests.Storage;

/// <summary>
/// Blob/Queue Shared Key strings to sign, case by case from the rules (AZURE.md 2.2): verb, eleven
/// standard slots, x-ms headers lower-cased and sorted, then "/" + account + escaped path and the
/// decoded query parameters sorted by lower-cased name.
/// </summary>
public sealed class SharedKeyStringToSignTests
{
    private const string Date = "Sun, 22 Nov 2026 02:04:43 GMT";
    private const string Azurite = "http://127.0.0.1:10000/devstoreaccount1";

    public static TheoryData<string, string, string, string[], long?, string> Cases => new()
    {
        {
            "put blob: length, content type, blob type; path-style account appears twice",
            "PUT", Azurite + "/blobs/x",
            ["Content-Type: image/png", "x-ms-blob-type: BlockBlob", "x-ms-date: " + Date, "x-ms-version: 2025-01-05"],
            16384,
            "PUT\n\n\n16384\n\nimage/png\n\n\n\n\n\n\n" +
            "x-ms-blob-type:BlockBlob\nx-ms-date:" + Date + "\nx-ms-version:2025-01-05\n" +
            "/devstoreaccount1/devstoreaccount1/blobs/x"
        },
        {
            "content length 0 signs as empty",
            "PUT", Azurite + "/c?restype=container",
            ["x-ms-date: " + Date, "x-ms-version: 2025-01-05"],
            0,
            "PUT\n\n\n\n\n\n\n\n\n\n\n\n" +
            "x-ms-date:" + Date + "\nx-ms-version:2025-01-05\n" +
            "/devstoreaccount1/devstoreaccount1/c\nrestype:container"
        },
        {
            "escaped path stays escaped; query decoded and sorted by name",
            "GET", Azurite + "/c?restype=container&comp=list&prefix=blobs%2Fdid%3Aplc%3Aabc%2F&marker=2%21abc&maxresults=3",
            ["x-ms-version: 2025-01-05", "x-ms-date: " + Date],
            null,
            "GET\n\n\n\n\n\n\n\n\n\n\n\n" +
            "x-ms-date:" + Date + "\nx-ms-version:2025-01-05\n" +
            "/devstoreaccount1/devstoreaccount1/c\ncomp:list\nmarker:2!abc\nmaxresults:3\nprefix:blobs/did:plc:abc/\nrestype:container"
        },
        {
            "blob name with colons: the %3A escapes are signed as sent",
            "GET", Azurite + "/blobs/did%3Aplc%3Aabc/bafkrei",
            ["x-ms-date: " + Date, "x-ms-version: 2025-01-05", "x-ms-range: bytes=0-1023"],
            null,
            "GET\n\n\n\n\n\n\n\n\n\n\n\n" +
            "x-ms-date:" + Date + "\nx-ms-range:bytes=0-1023\nx-ms-version:2025-01-05\n" +
            "/devstoreaccount1/devstoreaccount1/blobs/did%3Aplc%3Aabc/bafkrei"
        },
        {
            "standard slots: If-None-Match, Range, Content-MD5, Content-Encoding, Content-Language",
            "PUT", Azurite + "/c/b",
            ["If-None-Match: *", "Range: bytes=1-2", "Content-MD5: abc==", "Content-Encoding: gzip", "Content-Language: en", "If-Match: \"e\"",
             "If-Modified-Since: M", "If-Unmodified-Since: U", "x-ms-date: " + Date],
            5,
            "PUT\ngzip\nen\n5\nabc==\n\n\nM\n\"e\"\n*\nU\nbytes=1-2\n" +
            "x-ms-date:" + Date + "\n" +
            "/devstoreaccount1/devstoreaccount1/c/b"
        },
        {
            "header names lower-cased, values trimmed; non-x-ms headers are not canonicalized",
            "put", Azurite + "/c/b?comp=lease",
            ["X-MS-Lease-Action:  acquire ", "x-ms-proposed-lease-id: 5b7c", "X-Ms-Lease-Duration: 15", "x-ms-date: " + Date, "x-ms-version: 2025-01-05", "User-Agent: azsdk"],
            null,
            "PUT\n\n\n\n\n\n\n\n\n\n\n\n" +
            "x-ms-date:" + Date + "\nx-ms-lease-action:acquire\nx-ms-lease-duration:15\nx-ms-proposed-lease-id:5b7c\nx-ms-version:2025-01-05\n" +
            "/devstoreaccount1/devstoreaccount1/c/b\ncomp:lease"
        },
        {
            "repeated query parameter: values sorted and comma-joined; names case-folded",
            "GET", "https://acct.blob.core.windows.net/c?B=2&a=1&b=1",
            ["x-ms-date: " + Date],
            null,
            "GET\n\n\n\n\n\n\n\n\n\n\n\n" +
            "x-ms-date:" + Date + "\n" +
            "/acct/c\na:1\nb:1,2"
        },
        {
            "queue delete: pop receipt decoded in the resource",
            "DELETE", "http://127.0.0.1:10001/devstoreaccount1/q/messages/id1?popreceipt=AgAAAAMAAAAAAAAAAgtnj8x%2B1QE%3D",
            ["x-ms-date: " + Date, "x-ms-version: 2025-01-05"],
            null,
            "DELETE\n\n\n\n\n\n\n\n\n\n\n\n" +
            "x-ms-date:" + Date + "\nx-ms-version:2025-01-05\n" +
            "/devstoreaccount1/devstoreaccount1/q/messages/id1\npopreceipt:AgAAAAMAAAAAAAAAAgtnj8x+1QE="
        },
        {
            "production service root: path is /",
            "GET", "https://acct.queue.core.windows.net/?comp=list",
            ["x-ms-date: " + Date],
            null,
            "GET\n\n\n\n\n\n\n\n\n\n\n\n" +
            "x-ms-date:" + Date + "\n" +
            "/acct/\ncomp:list"
        },
        {
            "a Date header, if present, fills the Date slot",
            "GET", "https://acct.blob.core.windows.net/c/b",
            ["Date: " + Date],
            null,
            "GET\n\n\n\n\n\n" + Date + "\n\n\n\n\n\n" +
            "/acct/c/b"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BuildStringToSign_MatchesTheRules(string why, string method, string url, string[] headers, long? length, string expected)
    {
        var pairs = headers.Select(h =>
        {
            var colon = h.IndexOf(':');
            return new KeyValuePair<string, string>(h[..colon], h[(colon + 1)..].TrimStart());
        });
        var account = new Uri(url).Host == "127.0.0.1" ? "devstoreaccount1" : "acct";
        Assert.True(expected == SharedKeyPolicy.BuildStringToSign(account, method, new Uri(url), pairs, length), why);
    }
}
