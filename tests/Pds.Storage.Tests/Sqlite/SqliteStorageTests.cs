using System.Security.Cryptography;
using Pds.Core.Crypto;
using Pds.Sqlite;
using Pds.Storage.Tests.Contracts;

namespace Pds.Storage.Tests.Sqlite;

public sealed class SqliteStorageTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly byte[] _masterKey = RandomNumberGenerator.GetBytes(32);

    public void Dispose() => _dir.Dispose();

    private SqliteStorageOptions Options(byte[]? masterKey = null) =>
        new() { DataDirectory = _dir.File("data"), MasterKey = masterKey ?? _masterKey };

    [Fact]
    public async Task Open_NewDataDirectory_EveryStoreWorksAndSurvivesReopen()
    {
        var did = TestIds.Did();
        var account = AccountStoreContract.NewAccount() with { Did = did };
        await using (var storage = await SqliteStorage.OpenAsync(Options()))
        {
            await storage.Accounts.CreateAsync(account);
            await storage.Keys.CreateAsync(did);
            await storage.Repos.ApplyCommitAsync(did, SyntheticCommits.Commit(did, null, ("app.bsky.feed.post", "a", "hello")));
            await storage.Events.SequenceAsync(await storage.Events.GetPendingAsync(10), (_, seq) => BitConverter.GetBytes(seq));
            var blob = await storage.Blobs.PutTempAsync(new MemoryStream([1, 2, 3]), 100);
            await storage.Blobs.MakePermanentAsync(did, blob.TempKey, blob.Cid);
        }

        await using var reopened = await SqliteStorage.OpenAsync(Options());

        Assert.Equal(account.Handle, (await reopened.Accounts.GetByDidAsync(did))?.Handle);
        Assert.NotNull(await reopened.Keys.GetAsync(did));
        Assert.NotNull(await reopened.Repos.GetRecordAsync(did, "app.bsky.feed.post", "a"));
        Assert.NotNull(await reopened.Events.GetLatestSeqAsync());
        Assert.True(File.Exists(Path.Combine(_dir.File("data"), SqliteDatabase.DefaultFileName)));
        Assert.True(Directory.Exists(Path.Combine(_dir.File("data"), "blobs", did.Replace(':', '+'))));
    }

    [Fact]
    public async Task Open_WrongMasterKey_FailsAtStartup()
    {
        await (await SqliteStorage.OpenAsync(Options())).DisposeAsync();

        await Assert.ThrowsAsync<MasterKeyException>(() => SqliteStorage.OpenAsync(Options(RandomNumberGenerator.GetBytes(32))));

        await using var again = await SqliteStorage.OpenAsync(Options());
        Assert.Null(await again.Keys.GetAsync(TestIds.Did()));
    }
}
