using BenchmarkDotNet.Attributes;
using Pds.Core.Crypto;

namespace Pds.Benchmarks;

/// <summary>
/// secp256k1 (k256) signing and verification of commit-sized messages (~100 bytes), SHA-256
/// included. VerifyFromDidKey also parses the did:key first, as @atproto/crypto's
/// verifySignature does on every call.
/// </summary>
[MemoryDiagnoser]
public class CryptoBenchmarks
{
    private Keypair _keypair = null!;
    private PublicKey _publicKey = null!;
    private string _didKey = null!;
    private byte[][] _messages = null!;
    private byte[][] _signatures = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _keypair = BenchData.CreateKeypair();
        _publicKey = _keypair.PublicKey;
        _didKey = _publicKey.ToDidKey();
        _messages = BenchData.CommitMessages();
        _signatures = Array.ConvertAll(_messages, m => _keypair.Sign(m));
    }

    [GlobalCleanup]
    public void Cleanup() => _keypair.Dispose();

    [Benchmark]
    public byte[] K256Sign() => _keypair.Sign(_messages[_next++ & 255]);

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
