using BenchmarkDotNet.Attributes;
using Pds.Core.Crypto;
using Pds.Core.DataModel;

namespace Pds.Benchmarks;

/// <summary>
/// A 10,000-record repo (the records of bench/reference/repo-bench.mjs): build it and write its
/// CAR, and read that CAR back with full verification against the signing key.
/// </summary>
[MemoryDiagnoser]
public class RepoCarBenchmarks
{
    private (string Path, DataMap Record)[] _records = null!;
    private Keypair _keypair = null!;
    private PublicKey _publicKey = null!;
    private byte[] _car = null!;

    [Params(10_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _records = BenchData.Records(Records);
        _keypair = BenchData.CreateKeypair();
        _publicKey = PublicKey.FromDidKey(_keypair.PublicKey.ToDidKey());
        using var car = await RepoBench.BuildAndWriteCarAsync(_records, _keypair);
        _car = car.ToArray();
        var verified = await RepoBench.ReadAndVerifyCarAsync(_car, _publicKey);
        if (verified.Records.Count != Records)
        {
            throw new InvalidOperationException($"verified {verified.Records.Count} records, expected {Records}");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _keypair.Dispose();

    [Benchmark]
    public async Task<long> BuildAndWriteCar()
    {
        using var car = await RepoBench.BuildAndWriteCarAsync(_records, _keypair);
        return car.Length;
    }

    [Benchmark]
    public async Task<int> ReadAndVerifyCar() => (await RepoBench.ReadAndVerifyCarAsync(_car, _publicKey)).Records.Count;
}
