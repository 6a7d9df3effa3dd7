using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Pds.Core.Crypto;

namespace Pds.Benchmarks;

/// <summary>
/// secp256k1 (k256) signing and verification of commit-sized messages (~100 bytes), SHA-256
/// included. VerifyFromDidKey also parses the did:key first, as @atproto/crypto's
/// verifySignature does on every call. K256SignDigest is the managed signer alone (no
/// SHA-256 of the message); K256SignDigestOpenSsl is what SignDigest did before it, OpenSSL's
/// ECDsa.SignHash plus low-S normalisation, kept to show the difference.
/// </summary>
[MemoryDiagnoser]
public class CryptoBenchmarks
{
    private Keypair _keypair = null!;
    private PublicKey _publicKey = null!;
    private string _didKey = null!;
    private byte[][] _messages = null!;
    private byte[][] _signatures = null!;
    private byte[][] _digests = null!;
    private ECDsa _openSsl = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _keypair = BenchData.CreateKeypair();
        _publicKey = _keypair.PublicKey;
        _didKey = _publicKey.ToDidKey();
        _messages = BenchData.CommitMessages();
        _signatures = Array.ConvertAll(_messages, m => _keypair.Sign(m));
        _digests = Array.ConvertAll(_messages, SHA256.HashData);
        _openSsl = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.CreateFromFriendlyName("secP256k1"),
            D = _keypair.ExportPrivateKey(),
            Q = new ECPoint { X = _publicKey.X.ToArray(), Y = _publicKey.Y.ToArray() },
        });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _keypair.Dispose();
        _openSsl.Dispose();
    }

    [Benchmark]
    public byte[] K256Sign() => _keypair.Sign(_messages[_next++ & 255]);

    [Benchmark]
    public byte[] K256SignDigest() => _keypair.SignDigest(_digests[_next++ & 255]);

    [Benchmark]
    public byte[] K256SignDigestOpenSsl()
    {
        var signature = _openSsl.SignHash(_digests[_next++ & 255], DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        LowS.Normalize(KeyType.Secp256k1, signature);
        return signature;
    }

    [Benchmark]
    public bool K256Verify()
    {
        var i = _next++ & 255;
        return _publicKey.Verify(_messages[i], _signatures[i]);
    }

    [Benchmark]
    public bool K256VerifyFromDidKey()
    {
        var i = _next++ & 255;
        return PublicKey.FromDidKey(_didKey).Verify(_messages[i], _signatures[i]);
    }
}
