using System.Security.Cryptography;
using Pds.Core.Crypto;
using Pds.Core.Storage;
using Pds.Sqlite;
using Pds.Storage.Tests.Contracts;

namespace Pds.Storage.Tests.Sqlite;

public sealed class LocalKeyStoreTests : KeyStoreContract
{
    private readonly SqliteTestBackend _backend;
    private readonly byte[] _masterKey = RandomNumberGenerator.GetBytes(LocalKeyStore.MasterKeyLength);

    public LocalKeyStoreTests() => _backend = Track(new SqliteTestBackend());

    protected override async Task<IKeyStore> OpenAsync() => await OpenAsync(_masterKey);

    private async Task<LocalKeyStore> OpenAsync(byte[] masterKey)
    {
        var keys = new LocalKeyStore(await _backend.OpenAsync(), masterKey);
        Track(new DisposeAction(keys.Dispose));
        return keys;
    }

    [Fact]
    public async Task VerifyMasterKey_SameKeyAfterReopen_Passes()
    {
        await (await OpenAsync(_masterKey)).VerifyMasterKeyAsync();

        await (await OpenAsync(_masterKey)).VerifyMasterKeyAsync();
    }

    [Fact]
    public async Task VerifyMasterKey_WrongKey_ThrowsMasterKeyException()
    {
        await (await OpenAsync(_masterKey)).VerifyMasterKeyAsync();

        var wrong = await OpenAsync(RandomNumberGenerator.GetBytes(32));

        var error = await Assert.ThrowsAsync<MasterKeyException>(() => wrong.VerifyMasterKeyAsync());
        Assert.Contains("master key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_WrongMasterKey_ThrowsMasterKeyException()
    {
        var did = TestIds.Did();
        await (await OpenAsync(_masterKey)).CreateAsync(did);

        var wrong = await OpenAsync(RandomNumberGenerator.GetBytes(32));

        await Assert.ThrowsAsync<MasterKeyException>(() => wrong.GetAsync(did));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(33)]
    public async Task Constructor_MasterKeyNot32Bytes_Throws(int length)
    {
        var db = await _backend.OpenAsync();

        Assert.Throws<ArgumentException>(() => new LocalKeyStore(db, new byte[length]));
    }

    [Fact]
    public async Task Create_AtRest_OnlyCiphertextStored()
    {
        var keys = await OpenAsync(_masterKey);
        var did = TestIds.Did();
        var signer = (Keypair)await keys.CreateAsync(did);
        var scalar = signer.ExportPrivateKey();

        var db = await _backend.OpenAsync();
        var ciphertext = await db.ReadAsync((c, ct) => c.QuerySingleAsync(
            "SELECT ciphertext FROM signing_key WHERE did = $did;", r => r.GetBytes(0), ct, ("$did", did)), default);

        Assert.NotNull(ciphertext);
        Assert.NotEqual(scalar, ciphertext);
        foreach (var path in new[] { db.Path, db.Path + "-wal" }.Where(File.Exists))
        {
            Assert.Equal(-1, (await ReadSharedAsync(path)).AsSpan().IndexOf(scalar));
        }
    }

    [Fact]
    public async Task Get_SealedRowCopiedToAnotherDid_DoesNotOpen()
    {
        var keys = await OpenAsync(_masterKey);
        var (victim, attacker) = (TestIds.Did(), TestIds.Did());
        await keys.CreateAsync(victim);
        var db = await _backend.OpenAsync();

        await db.WriteAsync((c, ct) => c.ExecuteAsync(
            "INSERT INTO signing_key (did, key_type, public_key, nonce, ciphertext, tag, created_at) " +
            "SELECT $attacker, key_type, public_key, nonce, ciphertext, tag, created_at FROM signing_key WHERE did = $victim;", ct,
            ("$attacker", attacker), ("$victim", victim)), default);

        await Assert.ThrowsAsync<MasterKeyException>(() => keys.GetAsync(attacker));
    }

    [Fact]
    public async Task ClaimReserved_DidAlreadyHasKey_Throws()
    {
        var keys = await OpenAsync(_masterKey);
        var did = TestIds.Did();
        await keys.CreateAsync(did);
        await keys.ReserveAsync("r1");

        await Assert.ThrowsAsync<InvalidOperationException>(() => keys.ClaimReservedAsync("r1", did));
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await file.CopyToAsync(copy);
        return copy.ToArray();
    }
}
