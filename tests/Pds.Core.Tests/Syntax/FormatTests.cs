using Pds.Core.Syntax;

namespace Pds.Core.Tests.Syntax;

/// <summary>Language tags and the loose cid / uri format checks.</summary>
public class FormatTests
{
    [Theory]
    [InlineData("zh-cmn-Hans-CN")]        // extlang, script, region
    [InlineData("en-GB-oed")]             // irregular grandfathered
    [InlineData("sgn-BE-FR")]
    [InlineData("x-whatever")]
    [InlineData("de-CH-1901-x-a-b")]
    [InlineData("en-a-bbb-x-a-ccc")]      // a private-use 'a' is not a repeated singleton
    public void LanguageTag_WellFormed_Accepted(string s) => Assert.True(LanguageTag.TryParse(s, out _));

    [Theory]
    [InlineData("en-a", "extension 'a' needs")]
    [InlineData("en-x", "private use")]
    [InlineData("en-GB-US", "out of place")]
    [InlineData("en-toolongsubtag", "1 to 8")]
    [InlineData("", "1 to 8")]
    public void LanguageTag_Malformed_RejectedWithReason(string s, string reason)
    {
        Assert.False(LanguageTag.TryParse(s, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void LanguageTag_Language_IsPrimarySubtag() => Assert.Equal("pt", LanguageTag.Parse("pt-BR").Language);

    [Theory]
    [InlineData("bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm", true)]
    [InlineData("Qmaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    [InlineData("bafy/ree", false)]
    [InlineData(null, false)]
    public void CidSyntax_IsValid(string? s, bool valid) => Assert.Equal(valid, CidSyntax.IsValid(s));

    [Fact]
    public void CidSyntax_TooLong_Rejected() => Assert.False(CidSyntax.IsValid(new string('b', CidSyntax.MaxLength + 1)));

    [Theory]
    [InlineData("https://example.com", true)]
    [InlineData("HTTPS://EXAMPLE.COM", true)]
    [InlineData("web+ap://x", true)]
    [InlineData("1http://x", false)]
    [InlineData("ht_tp://x", false)]
    [InlineData("https://exa\tmple.com", false)]
    [InlineData("https://exa\u00a0mple.com", false)]
    [InlineData("https://bücher.example", true)]   // IRIs with non-ASCII hosts are allowed through
    [InlineData(null, false)]
    public void UriSyntax_IsValid(string? s, bool valid) => Assert.Equal(valid, UriSyntax.IsValid(s));

    [Fact]
    public void UriSyntax_MaxLength_Boundary()
    {
        const string prefix = "https://example.com/";
        Assert.True(UriSyntax.IsValid(prefix + new string('x', UriSyntax.MaxLength - prefix.Length)));
        Assert.False(UriSyntax.IsValid(prefix + new string('x', UriSyntax.MaxLength - prefix.Length + 1)));
    }
}
