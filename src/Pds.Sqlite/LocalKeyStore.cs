using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Pds.Core.Crypto;
using Pds.Core.Storage;

namespace Pds.Sqlite;

/// <summary>
/// Account signing keys (secp256k1) kept in SQLite with their private scalars sealed under a
/// 32-byte master key that the host keeps elsewhere (a key file, configuration). Decrypted keys
/// are cached for the life of the store; they are thread-safe signers.
/// </summary>
public sealed class LocalKeyStore : IKeyStore, IDisposable
{
    public const int MasterKeyLength = KeySealer.MasterKeyLength;

    private const string KeyColumns = "key_type, public_key, nonce, ciphertext, tag";
    private const string ReservedOwnerPrefix = "reserved:";
    private static readonly byte[] CheckPlaintext = Encoding.UTF8.GetBytes("pds master key check v1");

    private readonly SqliteDatabase _db;
    private readonly KeySealer _sealer;
    private readonly ConcurrentDictionary<string, Keypair> _cache = new(StringComparer.Ordinal);

    public LocalKeyStore(SqliteDatabase db, ReadOnlySpan<byte> masterKey)
    {
        _db = db;
        _sealer = new KeySealer(masterKey);
    }

    /// <summary>The curve of new keys; stored keys remember their own.</summary>
    public KeyType NewKeyType { get; init; } = KeyType.Secp256k1;

    /// <summary>
    /// Seals a check value on first use and opens it afterwards, so a wrong master key fails here,
    /// at startup, with <see cref="MasterKeyException"/> rather than at the first signature.
    /// </summary>
    public Task VerifyMasterKeyAsync(CancellationToken ct = default) =>
        _db.WriteAsync(async (c, t) =>
        {
            var check = await c.QuerySingleAsync("SELECT nonce, ciphertext, tag FROM key_check WHERE id = 1;",
                r => new SealedScalar(r.GetBytes(0), r.GetBytes(1), r.GetBytes(2)), t).ConfigureAwait(false);
            if (check is not null)
            {
                var opened = _sealer.Open(check, KeyType.Secp256k1, "key-check");
                CryptographicOperations.ZeroMemory(opened);
                return;
            }
            var sealedCheck = _sealer.Seal(CheckPlaintext, KeyType.Secp256k1, "key-check");
            await c.ExecuteAsync("INSERT INTO key_check (id, nonce, ciphertext, tag) VALUES (1, $nonce, $ciphertext, $tag);", t,
                ("$nonce", sealedCheck.Nonce), ("$ciphertext", sealedCheck.Ciphertext), ("$tag", sealedCheck.Tag)).ConfigureAwait(false);
        }, ct);

    /// <summary>Returns the account's key if it has one, else claims a key reserved under the DID, else makes one.</summary>
    public async Task<ISigner> CreateAsync(string did, CancellationToken ct = default)
    {
        await _db.WriteAsync(async (c, t) =>
        {
            if (await ReadKeyAsync(c, "signing_key", "did", did, t).ConfigureAwait(false) is not null
                || await ClaimAsync(c, did, did, t).ConfigureAwait(false))
            {
                return;
            }
            using var key = Keypair.Generate(NewKeyType);
            await InsertAsync(c, "signing_key", "did", did, key, did, t).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        return (await GetAsync(did, ct).ConfigureAwait(false))!;
    }

    public async Task<ISigner?> GetAsync(string did, CancellationToken ct = default)
    {
        if (_cache.TryGetValue(did, out var cached))
        {
            return cached;
        }
        var row = await _db.ReadAsync((c, t) => ReadKeyAsync(c, "signing_key", "did", did, t), ct).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }
        var key = Unseal(row, did);
        var winner = _cache.GetOrAdd(did, key);
        if (!ReferenceEquals(winner, key))
        {
            key.Dispose();
        }
        return winner;
    }

    /// <summary>Idempotent: reserving the same id again returns the same public key.</summary>
    public Task<PublicKey> ReserveAsync(string reservationId, CancellationToken ct = default) =>
        _db.WriteAsync(async (c, t) =>
        {
            var existing = await ReadKeyAsync(c, "reserved_key", "reservation_id", reservationId, t).ConfigureAwait(false);
            if (existing is not null)
            {
                return PublicKey.FromCompressed(existing.Type, existing.PublicKey);
            }
            using var key = Keypair.Generate(NewKeyType);
            await InsertAsync(c, "reserved_key", "reservation_id", reservationId, key, ReservedOwnerPrefix + reservationId, t)
                .ConfigureAwait(false);
            return key.PublicKey;
        }, ct);

    /// <summary>Throws <see cref="InvalidOperationException"/> when <paramref name="did"/> already has a key.</summary>
    public Task<bool> ClaimReservedAsync(string reservationId, string did, CancellationToken ct = default) =>
        _db.WriteAsync(async (c, t) =>
        {
            if (await ReadKeyAsync(c, "signing_key", "did", did, t).ConfigureAwait(false) is not null)
            {
                throw new InvalidOperationException($"{did} already has a signing key");
            }
            return await ClaimAsync(c, reservationId, did, t).ConfigureAwait(false);
        }, ct);

    /// <summary>Removes the key and any reservation under the DID. A cached signer of the account stops working.</summary>
    public async Task DeleteAsync(string did, CancellationToken ct = default)
    {
        await _db.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("DELETE FROM signing_key WHERE did = $id;", t, ("$id", did)).ConfigureAwait(false);
            await c.ExecuteAsync("DELETE FROM reserved_key WHERE reservation_id = $id;", t, ("$id", did)).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        if (_cache.TryRemove(did, out var key))
        {
            key.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var key in _cache.Values)
        {
            key.Dispose();
        }
        _cache.Clear();
        _sealer.Dispose();
    }

    /// <summary>Moves a reserved key to <paramref name="did"/>, re-sealed for its new owner; false when none is reserved.</summary>
    private async Task<bool> ClaimAsync(SqliteConnection c, string reservationId, string did, CancellationToken ct)
    {
        var reserved = await ReadKeyAsync(c, "reserved_key", "reservation_id", reservationId, ct).ConfigureAwait(false);
        if (reserved is null)
        {
            return false;
        }
        using var key = Unseal(reserved, ReservedOwnerPrefix + reservationId);
        await InsertAsync(c, "signing_key", "did", did, key, did, ct).ConfigureAwait(false);
        await c.ExecuteAsync("DELETE FROM reserved_key WHERE reservation_id = $id;", ct, ("$id", reservationId)).ConfigureAwait(false);
        return true;
    }

    private Keypair Unseal(StoredKey row, string owner)
    {
        var scalar = _sealer.Open(row.Sealed, row.Type, owner);
        try
        {
            return Keypair.Import(row.Type, scalar);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scalar);
        }
    }

    private async Task InsertAsync(
        SqliteConnection c, string table, string idColumn, string id, Keypair key, string owner, CancellationToken ct)
    {
        var scalar = key.ExportPrivateKey();
        SealedScalar sealedScalar;
        try
        {
            sealedScalar = _sealer.Seal(scalar, key.KeyType, owner);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scalar);
        }
        await c.ExecuteAsync(
            $"INSERT INTO {table} ({idColumn}, {KeyColumns}, created_at) VALUES ($id, $type, $public, $nonce, $ciphertext, $tag, $created);", ct,
            ("$id", id), ("$type", key.KeyType.ToString()), ("$public", key.PublicKey.ToCompressed()),
            ("$nonce", sealedScalar.Nonce), ("$ciphertext", sealedScalar.Ciphertext), ("$tag", sealedScalar.Tag),
            ("$created", DateTimeOffset.UtcNow.ToDb())).ConfigureAwait(false);
    }

    private static Task<StoredKey?> ReadKeyAsync(SqliteConnection c, string table, string idColumn, string id, CancellationToken ct) =>
        c.QuerySingleAsync(
            $"SELECT {KeyColumns} FROM {table} WHERE {idColumn} = $id;",
            r => new StoredKey(Enum.Parse<KeyType>(r.GetString(0)), r.GetBytes(1), new SealedScalar(r.GetBytes(2), r.GetBytes(3), r.GetBytes(4))),
            ct, ("$id", id));

    private sealed record StoredKey(KeyType Type, byte[] PublicKey, SealedScalar Sealed);
}
