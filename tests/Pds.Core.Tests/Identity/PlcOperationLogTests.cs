using Pds.Core.Crypto;
using Pds.Core.Identity;
using Pds.Core.Syntax;
using static Pds.Core.Tests.Identity.IdentityTestData;

namespace Pds.Core.Tests.Identity;

public class PlcOperationLogTests
{
    [Fact]
    public async Task Verify_ChainWithKeyRotation_ReturnsLastOperation()
    {
        using var first = Keypair.Generate(KeyType.Secp256k1);
        using var second = Keypair.Generate(KeyType.P256);
        var genesis = await SignedGenesisAsync(first, first.PublicKey);
        // The second operation hands control to a new key; the third must be signed by it.
        var rotate = await genesis.Next(rotationKeys: [second.PublicKey]).SignAsync(first, CancellationToken.None);
        var rename = await rotate.Next(handle: Handle.Parse("renamed.example.com")).SignAsync(second, CancellationToken.None);

        var last = PlcOperationLog.Verify(genesis.DeriveDid(), [genesis, rotate, rename]);
        Assert.Same(rename, last);
    }

    [Fact]
    public async Task Verify_BrokenChains_PlcFormatException()
    {
        using var key = Keypair.Generate(KeyType.Secp256k1);
        using var stranger = Keypair.Generate(KeyType.Secp256k1);
        var genesis = await SignedGenesisAsync(key, key.PublicKey);
        var did = genesis.DeriveDid();
        var update = await genesis.Next(handle: Handle.Parse("b.example.com")).SignAsync(key, CancellationToken.None);
        var forged = await genesis.Next(handle: Handle.Parse("c.example.com")).SignAsync(stranger, CancellationToken.None);
        var skipped = await update.Next(handle: Handle.Parse("d.example.com")).SignAsync(key, CancellationToken.None);
        var tombstone = await PlcOperation.CreateTombstone(genesis.Cid).SignAsync(key, CancellationToken.None);
        var other = await SignedGenesisAsync(key, key.PublicKey, "other.example.com");

        PlcOperation[][] logs =
        [
            [],
            [other],
            [update],
            [genesis, forged],
            [genesis, skipped],
            [genesis, tombstone, update],
            [genesis.WithSignature(new byte[64])],
            [genesis, genesis.Next()],
        ];
        foreach (var log in logs)
        {
            Assert.Throws<PlcFormatException>(() => PlcOperationLog.Verify(did, log));
        }
    }
}
