using Pds.Core.Crypto;

namespace Pds.Core.Tests.Crypto;

/// <summary>One key shared by many tasks must give the same answers as one thread would.</summary>
public class ConcurrencyTests
{
    private const int Tasks = 16;
    private const int Rounds = 12;

    public static TheoryData<KeyType> Curves => CryptoTestData.BothCurves;

    [Theory]
    [MemberData(nameof(Curves))]
    public async Task Verify_ManyTasksOneKey_AllCorrect(KeyType type)
    {
        using var keypair = Keypair.Generate(type);
        var key = PublicKey.FromDidKey(keypair.PublicKey.ToDidKey());
        var cases = Enumerable.Range(0, 8).Select(i =>
        {
            var message = BitConverter.GetBytes(i * 7919);
            var signature = keypair.Sign(message);
            return (message, signature, bad: CryptoTestData.FlipS(type, signature));
        }).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, Tasks).Select(t => Task.Run(() =>
        {
            var wrong = 0;
            for (var i = 0; i < Rounds; i++)
            {
                var (message, signature, bad) = cases[(t + i) % cases.Length];
                wrong += key.Verify(message, signature) ? 0 : 1;
                wrong += key.Verify(message, bad) ? 1 : 0;
            }
            return wrong;
        })));

        Assert.All(results, wrong => Assert.Equal(0, wrong));
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public async Task Sign_ManyTasksOneKeypair_AllSignaturesVerify(KeyType type)
    {
        using var keypair = Keypair.Generate(type);
        var signed = await Task.WhenAll(Enumerable.Range(0, Tasks).Select(t => Task.Run(() =>
            Enumerable.Range(0, Rounds).Select(i =>
            {
                var message = BitConverter.GetBytes(t * 1000 + i);
                return (message, signature: keypair.Sign(message));
            }).ToArray())));

        foreach (var (message, signature) in signed.SelectMany(s => s))
        {
            Assert.True(LowS.IsLow(type, signature));
            Assert.True(keypair.PublicKey.Verify(message, signature));
        }
    }

    [Fact]
    public async Task Dispose_WhileSigning_OnlyValidSignaturesOrObjectDisposed()
    {
        var keypair = Keypair.Generate(KeyType.P256);
        var publicKey = keypair.PublicKey;
        var workers = Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                try
                {
                    Assert.True(publicKey.Verify("race"u8, keypair.Sign("race"u8)));
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
            }
        })).ToArray();
        await Task.Delay(5);
        keypair.Dispose();
        await Task.WhenAll(workers);
    }
}
