using Pds.TestSupport;
using System.Text.Json;
using Pds.Core.Crypto;
using Pds.Core.Identity;
using Pds.Core.Syntax;

namespace Pds.Net.Tests;

/// <summary>
/// Our operations against the real @did-plc/server, which verifies signatures, the genesis
/// hash and the prev chain itself and so is the oracle for encoding, signing and DID derivation.
/// </summary>
public sealed class PlcDirectoryTests(PlcServerFixture plc) : IClassFixture<PlcServerFixture>, IDisposable
{
    private const string PdsUrl = "https://pds.example.com";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private PlcClient Client => new(_http, plc.Url);

    public void Dispose() => _http.Dispose();

    [Theory]
    [InlineData(KeyType.Secp256k1, KeyType.P256)]
    [InlineData(KeyType.P256, KeyType.Secp256k1)]
    public async Task CreateResolveUpdate_DirectoryAcceptsAndServesOurOperations(KeyType rotationType, KeyType signingType)
    {
        using var rotation = Keypair.Generate(rotationType);
        using var signing = Keypair.Generate(signingType);
        var genesis = await SignedGenesisAsync(rotation, "alice.test", signing.PublicKey);
        var did = genesis.DeriveDid();

        // Accepting the genesis under this DID is the directory confirming our DAG-CBOR and hash.
        await Client.SubmitAsync(did, genesis, CancellationToken.None);

        var resolver = new DidResolver(Client, _http);
        var doc = await resolver.ResolveAsync(did, false, CancellationToken.None);
        Assert.NotNull(doc);
        Assert.Equal(did, doc.Id);
        Assert.Equal("alice.test", doc.Handle!.ToString());
        Assert.Equal(signing.PublicKey, doc.SigningKey);
        Assert.Equal(new Uri(PdsUrl), doc.PdsEndpoint);

        var last = await Client.GetLastOperationAsync(did, CancellationToken.None);
        Assert.NotNull(last);
        Assert.Equal(genesis.Cid, last.Cid);
        Assert.Equal(genesis.Encode().ToArray(), last.Operation.Encode().ToArray());
        Assert.Equal([genesis.Cid.ToString()], await AuditCidsAsync(did));

        var update = await last.Operation.Next(handle: Handle.Parse("bob.test")).SignAsync(rotation, CancellationToken.None);
        Assert.Equal(last.Cid, update.Prev);
        await Client.SubmitAsync(did, update, CancellationToken.None);

        // The cache still has the old document until asked to bypass it.
        Assert.Equal("alice.test", (await resolver.ResolveAsync(did, false, CancellationToken.None))!.Handle!.ToString());
        var refreshed = await resolver.ResolveAsync(did, true, CancellationToken.None);
        Assert.Equal("bob.test", refreshed!.Handle!.ToString());
        Assert.Equal(signing.PublicKey, refreshed.SigningKey);
        Assert.Equal("bob.test", (await resolver.ResolveAsync(did, false, CancellationToken.None))!.Handle!.ToString());

        Assert.Equal([genesis.Cid.ToString(), update.Cid.ToString()], await AuditCidsAsync(did));
        var log = await Client.GetOperationLogAsync(did, CancellationToken.None);
        Assert.Equal(update.Cid, PlcOperationLog.Verify(did, log!).Cid);
        Assert.Equal(update.Cid, (await Client.GetLastOperationAsync(did, CancellationToken.None))!.Cid);
    }

    [Fact]
    public async Task Submit_OperationsTheDirectoryMustRefuse_RejectedWithItsMessage()
    {
        using var rotation = Keypair.Generate(KeyType.Secp256k1);
        using var stranger = Keypair.Generate(KeyType.Secp256k1);
        var unsigned = PlcOperation.CreateAtproto(rotation.PublicKey, Handle.Parse("carol.test"), PdsUrl, [rotation.PublicKey]);

        // A genesis signed by a key outside its rotation keys.
        var foreign = unsigned.WithSignature(stranger.Sign(unsigned.EncodeUnsigned()));
        var e = await Assert.ThrowsAsync<PlcDirectoryException>(() => Client.SubmitAsync(foreign.DeriveDid(), foreign, CancellationToken.None));
        AssertRejected(e, "signature");

        // A valid genesis under a DID that is not its hash.
        var genesis = await unsigned.SignAsync(rotation, CancellationToken.None);
        var did = genesis.DeriveDid();
        var wrongDid = Did.Parse(did.ToString()[..^1] + (did.ToString()[^1] == 'a' ? 'b' : 'a'));
        e = await Assert.ThrowsAsync<PlcDirectoryException>(() => Client.SubmitAsync(wrongDid, genesis, CancellationToken.None));
        AssertRejected(e, "genesis");

        await Client.SubmitAsync(did, genesis, CancellationToken.None);

        // An update signed by a key that is not a rotation key of the previous operation.
        var forged = await genesis.Next(handle: Handle.Parse("mallory.test")).SignAsync(stranger, CancellationToken.None);
        e = await Assert.ThrowsAsync<PlcDirectoryException>(() => Client.SubmitAsync(did, forged, CancellationToken.None));
        AssertRejected(e, "signature");

        // A correctly signed update whose bytes were changed after signing.
        var signed = await genesis.Next(handle: Handle.Parse("dave.test")).SignAsync(rotation, CancellationToken.None);
        var tampered = PlcOperation.ParseJson(signed.ToJson().Replace("dave.test", "eve.test", StringComparison.Ordinal));
        e = await Assert.ThrowsAsync<PlcDirectoryException>(() => Client.SubmitAsync(did, tampered, CancellationToken.None));
        AssertRejected(e, "signature");

        // An update whose prev names no operation of this DID.
        var orphan = await PlcOperation
            .CreateAtproto(rotation.PublicKey, Handle.Parse("carol.test"), PdsUrl, [rotation.PublicKey], prev: forged.Cid)
            .SignAsync(rotation, CancellationToken.None);
        e = await Assert.ThrowsAsync<PlcDirectoryException>(() => Client.SubmitAsync(did, orphan, CancellationToken.None));
        Assert.True(e.IsRejection, e.Message);

        // None of it changed the DID.
        Assert.Equal("carol.test", (await Client.GetDocumentAsync(did, CancellationToken.None))!.Handle!.ToString());
        Assert.Equal([genesis.Cid.ToString()], await AuditCidsAsync(did));
    }

    [Fact]
    public async Task Submit_HighSSecp256k1Signature_RejectedByDirectoryAndByUs()
    {
        // NOTE: this directory version (its @atproto/crypto 0.1.0) refuses high-S only for k256; it
        // still accepts a high-S P-256 signature. Our verifier refuses both, as atproto requires.
        using var rotation = Keypair.Generate(KeyType.Secp256k1);
        var genesis = await SignedGenesisAsync(rotation, "highs.test");
        var malleated = genesis.WithSignature(FlipS(KeyType.Secp256k1, Base64Url(genesis.Signature!)));

        Assert.False(malleated.VerifySignature(rotation.PublicKey));
        var e = await Assert.ThrowsAsync<PlcDirectoryException>(() => Client.SubmitAsync(malleated.DeriveDid(), malleated, CancellationToken.None));
        AssertRejected(e, "signature");
    }

    [Fact]
    public async Task Tombstone_DeactivatesTheDid()
    {
        using var rotation = Keypair.Generate(KeyType.P256);
        var genesis = await SignedGenesisAsync(rotation, "gone.test");
        var did = genesis.DeriveDid();
        await Client.SubmitAsync(did, genesis, CancellationToken.None);
        var tombstone = await PlcOperation.CreateTombstone(genesis.Cid).SignAsync(rotation, CancellationToken.None);
        await Client.SubmitAsync(did, tombstone, CancellationToken.None);

        Assert.Null(await Client.GetDocumentAsync(did, CancellationToken.None));
        Assert.Null(await new DidResolver(Client, _http).ResolveAsync(did, true, CancellationToken.None));
        var last = await Client.GetLastOperationAsync(did, CancellationToken.None);
        Assert.True(last!.Operation.IsTombstone);
        Assert.Equal(tombstone.Cid, last.Cid);
        Assert.Equal([genesis.Cid.ToString(), tombstone.Cid.ToString()], await AuditCidsAsync(did));
    }

    [Fact]
    public async Task UnknownDid_NullEverywhere()
    {
        var did = Did.Parse("did:plc:unknownunknownunknownunk");
        Assert.Null(await Client.GetDocumentAsync(did, CancellationToken.None));
        Assert.Null(await Client.GetLastOperationAsync(did, CancellationToken.None));
        Assert.Null(await Client.GetOperationLogAsync(did, CancellationToken.None));
        Assert.Null(await new DidResolver(Client, _http).ResolveAsync(did, false, CancellationToken.None));
    }

    [Fact]
    public async Task UnreachableDirectory_PlcDirectoryExceptionAndDidResolutionException()
    {
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        var client = new PlcClient(_http, new Uri("http://127.0.0.1:1"));
        var did = Did.Parse("did:plc:unknownunknownunknownunk");
        var e = await Assert.ThrowsAsync<PlcDirectoryException>(() => client.GetDocumentAsync(did, CancellationToken.None));
        Assert.Equal(0, e.StatusCode);
        await Assert.ThrowsAsync<DidResolutionException>(() => new DidResolver(client, _http).ResolveAsync(did, false, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Client.GetDocumentAsync(Did.Parse("did:web:example.com"), CancellationToken.None));
    }

    private static byte[] Base64Url(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);

    /// <summary>(r, n - s): the other, high-S signature of the same message.</summary>
    private static byte[] FlipS(KeyType type, byte[] signature)
    {
        var s = new System.Numerics.BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: true);
        var flipped = (type.CurveOrder() - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        return [.. signature[..32], .. new byte[32 - flipped.Length], .. flipped];
    }

    private static ValueTask<PlcOperation> SignedGenesisAsync(Keypair rotation, string handle, PublicKey? signing = null) =>
        PlcOperation
            .CreateAtproto(signing ?? rotation.PublicKey, Handle.Parse(handle), PdsUrl, [rotation.PublicKey])
            .SignAsync(rotation, CancellationToken.None);

    private static void AssertRejected(PlcDirectoryException e, string expectedWord)
    {
        Assert.True(e.IsRejection, e.Message);
        Assert.Equal(400, e.StatusCode);
        Assert.Contains(expectedWord, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The CIDs the directory itself computed for the DID's operations (its audit log).</summary>
    private async Task<string[]> AuditCidsAsync(Did did)
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync(new Uri(plc.Url, $"/{did}/log/audit")));
        return doc.RootElement.EnumerateArray().Select(e => e.GetProperty("cid").GetString()!).ToArray();
    }
}
