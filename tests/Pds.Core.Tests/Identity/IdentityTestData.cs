using Pds.Core.Crypto;
using Pds.Core.Identity;
using Pds.Core.Syntax;

namespace Pds.Core.Tests.Identity;

/// <summary>Fixed keys and a helper to build signed operations for the identity tests.</summary>
internal static class IdentityTestData
{
    public const string PdsUrl = "https://pds.example.com";

    /// <summary>A keypair from a fixed scalar (1..n-1), so expectations can be written down.</summary>
    public static Keypair FixedKey(KeyType type, byte seed)
    {
        var scalar = new byte[32];
        scalar[31] = seed;
        scalar[0] = 0x01;
        return Keypair.Import(type, scalar);
    }

    public static async Task<PlcOperation> SignedGenesisAsync(Keypair rotation, PublicKey signing, string handle = "alice.example.com")
    {
        var op = PlcOperation.CreateAtproto(signing, Handle.Parse(handle), PdsUrl, [rotation.PublicKey]);
        return await op.SignAsync(rotation, CancellationToken.None);
    }
}
