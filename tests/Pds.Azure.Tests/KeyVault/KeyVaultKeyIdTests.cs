using Pds.Azure.KeyVault;

namespace Pds.Azure.Tests.KeyVault;

public sealed class KeyVaultKeyIdTests
{
    [Fact]
    public void Parse_VersionedKid_SplitsVaultNameVersion()
    {
        var id = KeyVaultKeyId.Parse("https://myvault.vault.azure.net/keys/repo-1/0123456789abcdef0123456789abcdef");

        Assert.Equal(new Uri("https://myvault.vault.azure.net/"), id.VaultUri);
        Assert.Equal("repo-1", id.Name);
        Assert.Equal("0123456789abcdef0123456789abcdef", id.Version);
        Assert.Equal("https://myvault.vault.azure.net/keys/repo-1/0123456789abcdef0123456789abcdef", id.ToString());
    }

    [Theory]
    [InlineData("https://v.vault.azure.net/keys/repo-1")]
    [InlineData("https://v.vault.azure.net/secrets/repo-1/abc")]
    [InlineData("https://v.vault.azure.net/keys/repo_1/abc")]
    [InlineData("https://v.vault.azure.net/keys/repo-1/abc?x=1")]
    [InlineData("https://v.vault.azure.net/keys/repo-1/abc/sign")]
    [InlineData("/keys/repo-1/abc")]
    [InlineData("http://v.vault.azure.net/keys/repo-1/abc")]
    [InlineData("")]
    public void TryParse_NotAVersionedKid_False(string kid)
    {
        Assert.False(KeyVaultKeyId.TryParse(kid, out _));
        Assert.Throws<FormatException>(() => KeyVaultKeyId.Parse(kid));
    }

    [Fact]
    public void Create_NameAndVersion_SameAsParsedKid()
    {
        var id = KeyVaultKeyId.Create(new Uri("https://myvault.vault.azure.net/some/path"), "repo-1", "0123456789abcdef0123456789abcdef");

        Assert.Equal(KeyVaultKeyId.Parse("https://myvault.vault.azure.net/keys/repo-1/0123456789abcdef0123456789abcdef"), id);
    }

    [Theory]
    [InlineData("http://v.vault.azure.net/", "k", "abc")]
    [InlineData("https://v.vault.azure.net/", "k_1", "abc")]
    [InlineData("https://v.vault.azure.net/", "", "abc")]
    [InlineData("https://v.vault.azure.net/", "k", "a/b")]
    [InlineData("https://v.vault.azure.net/", "k", "")]
    public void Create_Invalid_Throws(string vault, string name, string version)
    {
        Assert.Throws<ArgumentException>(() => KeyVaultKeyId.Create(new Uri(vault), name, version));
    }
}
