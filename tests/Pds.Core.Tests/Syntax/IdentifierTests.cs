using Pds.Core.Syntax;

namespace Pds.Core.Tests.Syntax;

public class IdentifierTests
{
    [Fact]
    public void DidParse_Plc_ExposesMethodAndIdentifier()
    {
        var did = Did.Parse("did:plc:7iza6de2dwap2sbkpav7c6c6");
        Assert.Equal("plc", did.Method);
        Assert.Equal("7iza6de2dwap2sbkpav7c6c6", did.Identifier);
        Assert.True(did.IsPlc);
        Assert.False(did.IsWeb);
    }

    [Fact]
    public void DidParse_WebWithColons_IdentifierKeepsThem()
    {
        var did = Did.Parse("did:web:localhost%3A1234:u:alice");
        Assert.True(did.IsWeb);
        Assert.Equal("localhost%3A1234:u:alice", did.Identifier);
    }

    [Fact]
    public void DidParse_Invalid_ThrowsAtSyntaxExceptionWithReason()
    {
        var ex = Assert.Throws<AtSyntaxException>(() => Did.Parse("did:method:val#two"));
        Assert.IsAssignableFrom<FormatException>(ex);
        Assert.Equal("did", ex.Kind);
        Assert.Equal("invalid did: character '#' not allowed in identifier", ex.Message);
        Assert.Equal("character '#' not allowed in identifier", ex.Reason);
    }

    [Fact]
    public void TryParse_Null_FalseWithReason()
    {
        Assert.False(Did.TryParse(null, out var did, out var error));
        Assert.Null(did);
        Assert.Equal("value is null", error);
        Assert.Throws<ArgumentNullException>(() => Did.Parse(null!));
    }

    [Fact]
    public void HandleParse_MixedCase_NormalisedToLower()
    {
        var handle = Handle.Parse("XX.LCS.MIT.EDU");
        Assert.Equal("xx.lcs.mit.edu", handle.ToString());
        Assert.Equal(Handle.Parse("xx.lcs.mit.edu"), handle);
        Assert.Equal("edu", handle.Tld);
    }

    [Theory]
    [InlineData("laptop.local", true)]
    [InlineData("laptop.ARPA", true)]
    [InlineData("expyuzz4wqqyqhjn.onion", true)]
    [InlineData("handle.invalid", true)]
    [InlineData("x.localhost", true)]
    [InlineData("x.internal", true)]
    [InlineData("x.example", true)]
    [InlineData("x.alt", true)]
    [InlineData("alice.test", false)]
    [InlineData("alice.bsky.social", false)]
    [InlineData("local.com", false)]
    public void HandleIsDisallowedTld_ReservedTlds_Flagged(string s, bool disallowed) =>
        Assert.Equal(disallowed, Handle.Parse(s).IsDisallowedTld);

    [Fact]
    public void HandleInvalid_IsThePlaceholder() => Assert.Equal("handle.invalid", Handle.Invalid.ToString());

    [Fact]
    public void NsidParse_SplitsAuthorityAndName()
    {
        var nsid = Nsid.Parse("app.bsky.feed.post");
        Assert.Equal("feed.bsky.app", nsid.Authority);
        Assert.Equal("post", nsid.Name);
        Assert.Equal("app.bsky.feed.post", nsid.ToString());
    }

    [Fact]
    public void NsidParse_MixedCase_KeptAsWritten() =>
        Assert.Equal("com.Example.fooBar", Nsid.Parse("com.Example.fooBar").ToString());

    [Fact]
    public void RecordKeyParse_Valid_RoundTrips() => Assert.Equal("literal:self", RecordKey.Parse("literal:self").ToString());

    [Fact]
    public void AtIdentifierParse_Did_IsDid()
    {
        var id = AtIdentifier.Parse("did:plc:7iza6de2dwap2sbkpav7c6c6");
        Assert.True(id.IsDid);
        Assert.Equal(Did.Parse("did:plc:7iza6de2dwap2sbkpav7c6c6"), id.Did);
        Assert.Null(id.Handle);
    }

    [Fact]
    public void AtIdentifierParse_Handle_IsHandleNormalised()
    {
        var id = AtIdentifier.Parse("Alice.Test");
        Assert.False(id.IsDid);
        Assert.Equal("alice.test", id.Handle.ToString());
        Assert.Equal("alice.test", id.ToString());
    }

    [Fact]
    public void AtIdentifier_ImplicitFromDid_EqualsParsed()
    {
        AtIdentifier id = Did.Parse("did:web:example.com");
        Assert.Equal(AtIdentifier.Parse("did:web:example.com"), id);
    }

    [Fact]
    public void Equality_SameTextDifferentTypes_NotEqual()
    {
        SyntaxString nsid = Nsid.Parse("com.example.thing");
        SyntaxString rkey = RecordKey.Parse("com.example.thing");
        Assert.NotEqual(nsid, rkey);
        Assert.False(nsid == rkey);
        Assert.True(Nsid.Parse("com.example.thing") == nsid);
        Assert.Equal(nsid.GetHashCode(), Nsid.Parse("com.example.thing").GetHashCode());
    }
}
