using Pds.Azure.Storage;

namespace Pds.Azure.Tests.Storage;

/// <summary>
/// Table strings to sign (AZURE.md 2.3): SharedKey = verb, Content-MD5, Content-Type, date,
/// resource; SharedKeyLite = date, resource; the resource keeps only ?comp= of the query.
/// </summary>
public sealed class TableSharedKeyStringToSignTests
{
    private const string Date = "Sun, 22 Nov 2026 02:04:43 GMT";
    private const string Azurite = "http://127.0.0.1:10002/devstoreaccount1";

    public static TheoryData<string, TableSharedKeyScheme, string, string, string?, string?, string> Cases => new()
    {
        {
            "lite: date and resource only", TableSharedKeyScheme.SharedKeyLite,
            "POST", Azurite + "/Tables", "application/json", null,
            Date + "\n/devstoreaccount1/devstoreaccount1/Tables"
        },
        {
            "full: verb, empty MD5, content type, date, resource", TableSharedKeyScheme.SharedKey,
            "POST", Azurite + "/Tables", "application/json", null,
            "POST\n\napplication/json\n" + Date + "\n/devstoreaccount1/devstoreaccount1/Tables"
        },
        {
            "entity path signed escaped as on the wire", TableSharedKeyScheme.SharedKey,
            "DELETE", Azurite + "/pds(PartitionKey='did%3Aplc%3Aabc',RowKey='app.bsky.feed.post!3k2a')", null, null,
            "DELETE\n\n\n" + Date + "\n/devstoreaccount1/devstoreaccount1/pds(PartitionKey='did%3Aplc%3Aabc',RowKey='app.bsky.feed.post!3k2a')"
        },
        {
            "query: $filter/$top/continuation are not signed", TableSharedKeyScheme.SharedKeyLite,
            "GET", Azurite + "/pds()?$filter=PartitionKey%20eq%20'p'&$top=10&NextPartitionKey=1!4!cA--", null, null,
            Date + "\n/devstoreaccount1/devstoreaccount1/pds()"
        },
        {
            "comp is signed (decoded value)", TableSharedKeyScheme.SharedKeyLite,
            "GET", "https://acct.table.core.windows.net/pds?comp=acl&other=1", null, null,
            Date + "\n/acct/pds?comp=acl"
        },
        {
            "$batch: the multipart content type is part of SharedKey", TableSharedKeyScheme.SharedKey,
            "POST", Azurite + "/$batch", "multipart/mixed; boundary=batch_5b7c1a8e-8f1d-4f1e-9c1b-1d2f3e4a5b6c", null,
            "POST\n\nmultipart/mixed; boundary=batch_5b7c1a8e-8f1d-4f1e-9c1b-1d2f3e4a5b6c\n" + Date + "\n/devstoreaccount1/devstoreaccount1/$batch"
        },
        {
            "Content-MD5 when present", TableSharedKeyScheme.SharedKey,
            "merge", "https://acct.table.core.windows.net/pds(PartitionKey='a',RowKey='b')", "application/json", "Q2hlY2s=",
            "MERGE\nQ2hlY2s=\napplication/json\n" + Date + "\n/acct/pds(PartitionKey='a',RowKey='b')"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BuildStringToSign_MatchesTheRules(string why, TableSharedKeyScheme scheme, string method, string url, string? contentType, string? md5, string expected)
    {
        var account = new Uri(url).Host == "127.0.0.1" ? "devstoreaccount1" : "acct";
        Assert.True(expected == TableSharedKeyPolicy.BuildStringToSign(scheme, account, method, new Uri(url), contentType, md5, Date), why);
    }
}
