using System.Text;
using Pds.Core.Crypto;
using Pds.Core.Identity;
using Pds.Core.Syntax;

namespace Pds.Core.Tests.Identity;

public class DidDocumentTests
{
    private const string Did = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";

    [Fact]
    public void Parse_CurrentPlcDocument_HandleKeyAndPds()
    {
        using var key = Keypair.Generate(KeyType.Secp256k1);
        var json = $$"""
        {
          "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1",
                       "https://w3id.org/security/suites/secp256k1-2019/v1"],
          "id": "{{Did}}",
          "alsoKnownAs": ["https://example.com/profile", "at://Alice.Example.com", "at://second.example.com"],
          "verificationMethod": [
            { "id": "{{Did}}#atproto", "type": "Multikey", "controller": "{{Did}}",
              "publicKeyMultibase": "{{key.PublicKey.ToMultikey()}}" }
          ],
          "service": [
            { "id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": "https://morel.us-east.host.example.net" }
          ]
        }
        """;
        var doc = DidDocument.Parse(json);

        Assert.Equal(Did, doc.Id.ToString());
        Assert.Equal("alice.example.com", doc.Handle!.ToString());
        Assert.Equal(key.PublicKey, doc.SigningKey);
        Assert.Equal(new Uri("https://morel.us-east.host.example.net"), doc.PdsEndpoint);
        Assert.Equal(3, doc.AlsoKnownAs.Count);
    }

    [Theory]
    [InlineData(KeyType.Secp256k1, false)]
    [InlineData(KeyType.P256, false)]
    [InlineData(KeyType.Secp256k1, true)]
    public void Parse_LegacyVerificationMethod_KeyFromBarePoint(KeyType type, bool uncompressed)
    {
        using var key = Keypair.Generate(type);
        var multibase = uncompressed ? "z" + Pds.Core.Ipld.Base58.Encode(key.PublicKey.ToUncompressed()) : key.PublicKey.ToLegacyMultibase();
        var json = $$"""
        {"id":"{{Did}}","alsoKnownAs":["at://legacy.example.com"],
         "verificationMethod":[{"id":"#atproto","type":"{{type.DidDocumentSuite()}}","controller":"{{Did}}","publicKeyMultibase":"{{multibase}}"}],
         "service":[{"id":"#atproto_pds","type":"AtprotoPersonalDataServer","serviceEndpoint":"http://localhost:2583"}]}
        """;
        var doc = DidDocument.Parse(json);
        Assert.Equal(key.PublicKey, doc.SigningKey);
        Assert.Equal(new Uri("http://localhost:2583"), doc.PdsEndpoint);
    }

    [Fact]
    public void GetService_DidWebAppView_ByFragmentWithOrWithoutHash()
    {
        using var key = Keypair.Generate(KeyType.Secp256k1);
        var json = $$"""
        {
          "@context": ["https://www.w3.org/ns/did/v1"],
          "id": "did:web:api.example.com",
          "verificationMethod": [
            { "id": "did:web:api.example.com#atproto", "type": "Multikey", "controller": "did:web:api.example.com",
              "publicKeyMultibase": "{{key.PublicKey.ToMultikey()}}" }
          ],
          "service": [
            { "id": "#bsky_notif", "type": "BskyNotificationService", "serviceEndpoint": "https://api.example.com" },
            { "id": "did:web:api.example.com#bsky_appview", "type": "BskyAppView", "serviceEndpoint": "https://api.example.com" },
            { "id": "did:web:evil.example.com#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": "https://evil.example.com" },
            { "id": "#mapped", "type": "X", "serviceEndpoint": { "origins": ["https://a.example.com"] } }
          ]
        }
        """;
        var doc = DidDocument.Parse(json);

        Assert.Equal(new Uri("https://api.example.com"), doc.GetServiceEndpoint("#bsky_appview"));
        Assert.Equal(new Uri("https://api.example.com"), doc.GetServiceEndpoint("bsky_appview", "BskyAppView"));
        Assert.Null(doc.GetServiceEndpoint("bsky_appview", "AtprotoPersonalDataServer"));
        Assert.Equal("BskyNotificationService", doc.GetService("bsky_notif")!.Type);
        Assert.Null(doc.GetService("mapped"));
        Assert.Null(doc.PdsEndpoint);
        Assert.Null(doc.Handle);
        Assert.Equal(key.PublicKey, doc.SigningKey);
        Assert.Throws<ArgumentException>(() => doc.GetService("#"));
    }

    [Theory]
    [InlineData("""{"id":"did:plc:ewvi7nxzyoun6zhxrhs64oiz","alsoKnownAs":["at://not_a_handle"]}""")]
    [InlineData("""{"id":"did:plc:ewvi7nxzyoun6zhxrhs64oiz","alsoKnownAs":["at://alice.example.com/app.bsky.feed.post/1"]}""")]
    [InlineData("""{"id":"did:plc:ewvi7nxzyoun6zhxrhs64oiz","alsoKnownAs":[]}""")]
    [InlineData("""{"id":"did:plc:ewvi7nxzyoun6zhxrhs64oiz"}""")]
    public void Handle_MissingOrInvalidFirstAtUri_Null(string json)
    {
        Assert.Null(DidDocument.Parse(json).Handle);
    }

    [Theory]
    [InlineData("Multikey", "zNotAKey", "AtprotoPersonalDataServer", "ftp://pds.example.com")]
    [InlineData("Multikey", "QNoMultibasePrefix", "AtprotoPersonalDataServer", "not a url")]
    [InlineData("Multikey", "z", "Other", "https://pds.example.com")]
    [InlineData(null, "z", "AtprotoPersonalDataServer", "https://user:pw@pds.example.com")]
    public void SigningKeyAndPds_UnusableEntries_Null(string? keyType, string multibase, string serviceType, string endpoint)
    {
        var typeField = keyType is null ? "" : $"\"type\":\"{keyType}\",";
        var json = $$"""
        {"id":"{{Did}}",
         "verificationMethod":[{"id":"#atproto",{{typeField}}"publicKeyMultibase":"{{multibase}}"}],
         "service":[{"id":"#atproto_pds","type":"{{serviceType}}","serviceEndpoint":"{{endpoint}}"}]}
        """;
        var doc = DidDocument.Parse(json);
        Assert.Null(doc.SigningKey);
        Assert.Null(doc.PdsEndpoint);
        Assert.NotNull(doc.GetVerificationMethod("atproto"));
    }

    [Fact]
    public void SigningKey_UnknownTypeOrForeignDid_Null()
    {
        using var key = Keypair.Generate(KeyType.Secp256k1);
        var json = $$"""
        {"id":"{{Did}}",
         "verificationMethod":[
           {"id":"did:plc:aaaaaaaaaaaaaaaaaaaaaaaa#atproto","type":"Multikey","publicKeyMultibase":"{{key.PublicKey.ToMultikey()}}"},
           {"id":"#atproto","type":"JsonWebKey2020","publicKeyMultibase":"{{key.PublicKey.ToMultikey()}}"}]}
        """;
        var doc = DidDocument.Parse(json);
        Assert.Null(doc.SigningKey);
        Assert.Equal("JsonWebKey2020", doc.GetVerificationMethod("#atproto")!.Type);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"did:plc:ewvi7nxzyoun6zhxrhs64oiz\"")]
    [InlineData("{}")]
    [InlineData("""{"id":7}""")]
    [InlineData("""{"id":"plc:ewvi7nxzyoun6zhxrhs64oiz"}""")]
    [InlineData("""{"id":"did:plc:ewvi7nxzyoun6zhxrhs64oiz","alsoKnownAs":"at://a.example.com"}""")]
    [InlineData("""{"id":"did:plc:ewvi7nxzyoun6zhxrhs64oiz","alsoKnownAs":[1]}""")]
    [InlineData("""{"id":"did:plc:ewvi7nxzyoun6zhxrhs64oiz","verificationMethod":{}}""")]
    [InlineData("""{"id":"did:plc:ewvi7nxzyoun6zhxrhs64oiz","service":[1]}""")]
    [InlineData("""{"id":"did:plc:ewvi7nxzyoun6zhxrhs64oiz","id":"did:plc:aaaaaaaaaaaaaaaaaaaaaaaa"}""")]
    [InlineData("""{"id":"did:plc:ewvi7nxzyoun6zhxrhs64oiz",""")]
    [InlineData("""{"id":"did:plc:ewvi7nxzyoun6zhxrhs64oiz","x":[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]}""")]
    public void Parse_Malformed_DidDocumentFormatException(string json)
    {
        Assert.Throws<DidDocumentFormatException>(() => DidDocument.Parse(json));
        Assert.False(DidDocument.TryParse(Encoding.UTF8.GetBytes(json), out _));
    }

    [Fact]
    public void Parse_OversizedOrTooManyEntries_DidDocumentFormatException()
    {
        var big = $$"""{"id":"{{Did}}","pad":"{{new string('x', DidDocument.MaxJsonLength)}}"}""";
        Assert.Throws<DidDocumentFormatException>(() => DidDocument.Parse(big));
        var many = $$"""{"id":"{{Did}}","alsoKnownAs":[{{string.Join(",", Enumerable.Repeat("\"at://a.example.com\"", DidDocument.MaxEntries + 1))}}]}""";
        Assert.Throws<DidDocumentFormatException>(() => DidDocument.Parse(many));
    }

    [Fact]
    public void CreateAtproto_ToJsonAndBack_SameView()
    {
        using var key = Keypair.Generate(KeyType.P256);
        var did = Pds.Core.Syntax.Did.Parse("did:web:pds.example.com");
        var doc = DidDocument.CreateAtproto(did, Handle.Parse("pds.example.com"), key.PublicKey, "https://pds.example.com");
        var json = doc.ToJson();
        var parsed = DidDocument.Parse(json);

        Assert.Equal(did, parsed.Id);
        Assert.Equal("pds.example.com", parsed.Handle!.ToString());
        Assert.Equal(key.PublicKey, parsed.SigningKey);
        Assert.Equal(new Uri("https://pds.example.com"), parsed.PdsEndpoint);
        Assert.Contains("\"https://w3id.org/security/multikey/v1\"", json, StringComparison.Ordinal);
        Assert.Contains($"\"id\":\"{did}#atproto\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromPlcOperation_RendersEveryMethodAndService()
    {
        using var rotation = Keypair.Generate(KeyType.Secp256k1);
        using var signing = Keypair.Generate(KeyType.P256);
        var op = await IdentityTestData.SignedGenesisAsync(rotation, signing.PublicKey);
        var doc = DidDocument.FromPlcOperation(op.DeriveDid(), op);

        Assert.Equal(op.DeriveDid(), doc.Id);
        Assert.Equal(signing.PublicKey, doc.SigningKey);
        Assert.Equal(new Uri(IdentityTestData.PdsUrl), doc.PdsEndpoint);
        Assert.Equal("alice.example.com", doc.Handle!.ToString());
        Assert.Equal(doc.SigningKey, DidDocument.Parse(doc.ToJsonUtf8()).SigningKey);
    }
}
