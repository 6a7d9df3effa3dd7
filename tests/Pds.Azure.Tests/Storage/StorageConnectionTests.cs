using Azure.Identity;
using Pds.Azure.Storage;

namespace Pds.Azure.Tests.Storage;

public sealed class StorageConnectionTests
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    [Fact]
    public void Parse_AzuriteConnectionString_ExplicitEndpoints()
    {
        var c = StorageConnection.Parse(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};" +
            "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;");

        Assert.Equal("devstoreaccount1", c.AccountName);
        Assert.True(c.UsesSharedKey);
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1", c.BlobEndpoint!.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:10001/devstoreaccount1", c.QueueEndpoint!.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:10002/devstoreaccount1", c.TableEndpoint!.AbsoluteUri);
    }

    [Fact]
    public void Parse_UseDevelopmentStorage_IsTheSameAzuriteAccount()
    {
        var c = StorageConnection.Parse("UseDevelopmentStorage=true");
        Assert.Equal("devstoreaccount1", c.AccountName);
        Assert.Equal("http://127.0.0.1:10002/devstoreaccount1", c.TableEndpoint!.AbsoluteUri);
        Assert.True(c.UsesSharedKey);
    }

    [Fact]
    public void Parse_AccountAndKey_DefaultsToHttpsProductionEndpoints_CaseInsensitiveNames()
    {
        var c = StorageConnection.Parse($"accountname=pdsacct;ACCOUNTKEY={Key};EndpointSuffix=core.chinacloudapi.cn");
        Assert.Equal("https://pdsacct.blob.core.chinacloudapi.cn/", c.BlobEndpoint!.AbsoluteUri);
        Assert.Equal("https://pdsacct.table.core.chinacloudapi.cn/", c.TableEndpoint!.AbsoluteUri);
    }

    [Theory]
    [InlineData("AccountName=a")]
    [InlineData("AccountKey=" + Key)]
    [InlineData("AccountName=a;AccountKey=not*base64")]
    [InlineData("AccountName=a;AccountKey=" + Key + ";BlobEndpoint=ftp://x")]
    [InlineData("garbage")]
    public void Parse_Invalid_ThrowsWithoutRepeatingTheSecret(string connectionString)
    {
        var e = Assert.Throws<FormatException>(() => StorageConnection.Parse(connectionString));
        Assert.DoesNotContain(Key, e.Message);
        Assert.DoesNotContain("not*base64", e.Message);
    }

    [Fact]
    public void Parse_Sas_IsNotSupported() =>
        Assert.Throws<NotSupportedException>(() => StorageConnection.Parse("BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sv=2025&sig=abc"));

    [Fact]
    public void ToString_NeverShowsTheKey()
    {
        var c = StorageConnection.Parse($"AccountName=pdsacct;AccountKey={Key}");
        var text = c.ToString();
        Assert.Contains("pdsacct", text);
        Assert.DoesNotContain(Key, text);
        Assert.DoesNotContain(Key[..16], text);
        Assert.DoesNotContain(Key[..16], c.SharedKey!.ToString());
    }

    [Fact]
    public void WithCredential_UsesProductionEndpoints()
    {
        var c = StorageConnection.WithCredential("pdsacct", new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned));
        Assert.False(c.UsesSharedKey);
        Assert.Equal("https://pdsacct.queue.core.windows.net/", c.QueueEndpoint!.AbsoluteUri);
    }

    [Fact]
    public void Client_WithoutTheServiceEndpoint_ThrowsClearly()
    {
        var c = StorageConnection.WithSharedKey("a", Key, blobEndpoint: new Uri("https://a.blob.core.windows.net"), queueEndpoint: null, tableEndpoint: null);
        var e = Assert.Throws<InvalidOperationException>(() => new TableClient(c, "pds"));
        Assert.Contains("no table endpoint", e.Message);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("has-hyphen")]
    [InlineData("1starts")]
    public void TableClient_BadName_Throws(string name) =>
        Assert.Throws<ArgumentException>(() => new TableClient(StorageConnection.Parse("UseDevelopmentStorage=true"), name));

    [Theory]
    [InlineData("UPPER")]
    [InlineData("a--b")]
    [InlineData("-ab")]
    [InlineData("ab")]
    public void ContainerAndQueue_BadName_Throws(string name)
    {
        var c = StorageConnection.Parse("UseDevelopmentStorage=true");
        Assert.Throws<ArgumentException>(() => new BlobClient(c, name));
        Assert.Throws<ArgumentException>(() => new QueueClient(c, name));
    }
}
