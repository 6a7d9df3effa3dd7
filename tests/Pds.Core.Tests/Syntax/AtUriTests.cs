using Pds.Core.Syntax;

namespace Pds.Core.Tests.Syntax;

public class AtUriTests
{
    [Fact]
    public void Parse_RecordUri_ExposesParts()
    {
        var uri = AtUri.Parse("at://did:plc:44ybard66vv44zksje25o7dz/app.bsky.feed.post/3jwdwj2ctlk26");
        Assert.Equal("did:plc:44ybard66vv44zksje25o7dz", uri.Authority.Did?.ToString());
        Assert.Equal(Nsid.Parse("app.bsky.feed.post"), uri.Collection);
        Assert.Equal(RecordKey.Parse("3jwdwj2ctlk26"), uri.RecordKey);
        Assert.Equal("at://did:plc:44ybard66vv44zksje25o7dz/app.bsky.feed.post/3jwdwj2ctlk26", uri.ToString());
    }

    [Fact]
    public void Parse_RepoOnly_HasNoPath()
    {
        var uri = AtUri.Parse("at://user.bsky.social");
        Assert.Equal("user.bsky.social", uri.Authority.Handle?.ToString());
        Assert.Null(uri.Collection);
        Assert.Null(uri.RecordKey);
    }

    [Fact]
    public void Parse_UpperCaseHandle_ToStringIsCanonical() =>
        Assert.Equal("at://alice.test/com.example.fooBar", AtUri.Parse("at://Alice.TEST/com.example.fooBar").ToString());

    [Fact]
    public void Create_FromParts_MatchesParse()
    {
        var uri = AtUri.Create(Did.Parse("did:plc:abc"), Nsid.Parse("app.bsky.feed.like"), RecordKey.Parse("self"));
        Assert.Equal(AtUri.Parse("at://did:plc:abc/app.bsky.feed.like/self"), uri);
    }

    [Fact]
    public void Create_RecordKeyWithoutCollection_Throws() =>
        Assert.Throws<ArgumentException>(() => AtUri.Create(Did.Parse("did:plc:abc"), null, RecordKey.Parse("self")));

    [Theory]
    [InlineData("at://did:plc:abc/com.example.thing/self?x=1", "query and fragment")]
    [InlineData("at://did:plc:abc/com.example.thing/", "trailing slash")]
    [InlineData("at://did:plc:abc/com.example.thing/a/b", "path may only be")]
    [InlineData("at://did:plc:abc/com.example", "collection:")]
    [InlineData("at://did:plc:abc/com.example.thing/..", "record key:")]
    [InlineData("at://nodot", "authority:")]
    public void Parse_Invalid_ReasonNamesThePart(string s, string reason)
    {
        var ex = Assert.Throws<AtSyntaxException>(() => AtUri.Parse(s));
        Assert.Equal("at-uri", ex.Kind);
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void Parse_LongestDidAuthority_Accepted() =>
        Assert.True(AtUri.TryParse("at://did:plc:" + new string('a', Did.MaxLength - "did:plc:".Length), out _));

    [Fact]
    public void Parse_OverMaxLength_RejectedBeforeScanning()
    {
        Assert.False(AtUri.TryParse("at://did:plc:" + new string('a', AtUri.MaxLength), out _, out var error));
        Assert.Equal($"longer than {AtUri.MaxLength} characters", error);
    }
}
