using System.Security.Cryptography;
using Pds.Azure.Adapters.Keys;
using Pds.Azure.Storage;
using Pds.Core.Crypto;
using Pds.Core.Storage;
using Pds.Storage.Tests.Contracts;
using Pds.TestSupport;

namespace Pds.Storage.Tests.Azure;

/// <summary>The no-vault key store on Azurite: the contract, then a wrong key-encryption key.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureSealedKeyStoreTests(AzuriteFixture azurite) : KeyStoreContract
{
    private readonly byte[] _kek = RandomNumberGenerator.GetBytes(32);
    private TableClient? _table;

    protected override async Task<IKeyStore> OpenAsync()
    {
        _table ??= await AzureTables.CreateAsync(azurite, "keys");
        return new SealedKeyStore(AzureTables.Reopen(azurite, _table), _kek);
    }

    [Fact]
    public async Task Get_WrongKeyEncryptionKey_FailsClearlyInsteadOfSigning()
    {
        var keys = await OpenAsync();
        var did = TestIds.Did();
        await keys.CreateAsync(did);

        var wrong = new SealedKeyStore(AzureTables.Reopen(azurite, _table!), RandomNumberGenerator.GetBytes(32));

        await Assert.ThrowsAsync<MasterKeyException>(() => wrong.GetAsync(did));
    }
}
