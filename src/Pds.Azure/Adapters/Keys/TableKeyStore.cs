using System.Collections.Concurrent;
using Pds.Azure.KeyVault;
using Pds.Azure.Storage;
using Pds.Core.Crypto;
using Pds.Core.Storage;

namespace Pds.Azure.Adapters.Keys;

/// <summary>
/// What both Key Vault modes share: the row layout (<see cref="KeyRows"/>), the create, reserve,
/// claim and delete protocol over one table, and the in-process signer cache (keys never change,
/// so a signer is built once per account per process). A mode decides how a key is made, opened,
/// moved to a new owner and released.
/// </summary>
public abstract class TableKeyStore : IKeyStore, IDisposable
{
    private readonly ConcurrentDictionary<string, ISigner> _signers = new(StringComparer.Ordinal);
    private readonly SingleFlight<ISigner?> _accounts = new();
    private readonly SingleFlight<PublicKey> _reservations = new();

    private protected TableKeyStore(TableClient table)
    {
        ArgumentNullException.ThrowIfNull(table);
        Table = table;
    }

    private protected TableClient Table { get; }

    /// <summary>Written into every row; a store refuses rows of another mode.</summary>
    private protected abstract string Mode { get; }

    /// <summary>A new key for <paramref name="owner"/>: its row (from <see cref="KeyRows.New"/>) and signer.</summary>
    private protected abstract Task<StoredKey> NewKeyAsync(KeyOwner owner, CancellationToken ct);

    /// <summary>The signer of a stored row of this mode.</summary>
    private protected abstract Task<ISigner> OpenAsync(TableEntity row, KeyOwner owner, CancellationToken ct);

    /// <summary>The reserved key of <paramref name="from"/> as a row for <paramref name="to"/>, with its signer.</summary>
    private protected abstract Task<StoredKey> RebindAsync(TableEntity reserved, KeyOwner from, KeyOwner to, CancellationToken ct);

    /// <summary>Frees what a row refers to outside the table, once no row refers to it any more.</summary>
    private protected abstract Task ReleaseAsync(TableEntity row, CancellationToken ct);

    /// <summary>Returns the account's key if it has one, else claims a key reserved under the DID, else makes one.</summary>
    public async Task<ISigner> CreateAsync(string did, CancellationToken ct = default)
    {
        var owner = KeyOwner.Account(did);
        if (_signers.TryGetValue(did, out var cached))
        {
            return cached;
        }
        var signer = await _accounts.RunAsync("create\n" + did, c => CreateCoreAsync(did, owner, c), ct).ConfigureAwait(false);
        return signer!;
    }

    public Task<ISigner?> GetAsync(string did, CancellationToken ct = default)
    {
        var owner = KeyOwner.Account(did);
        return _signers.TryGetValue(did, out var cached)
            ? Task.FromResult<ISigner?>(cached)
            : _accounts.RunAsync("get\n" + did, c => LoadAsync(did, owner, c), ct);
    }

    /// <summary>Idempotent: reserving the same id again returns the same public key.</summary>
    public Task<PublicKey> ReserveAsync(string reservationId, CancellationToken ct = default)
    {
        var owner = KeyOwner.Reservation(reservationId);
        return _reservations.RunAsync(owner.RowKey, c => ReserveCoreAsync(owner, c), ct);
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> when <paramref name="did"/> already has a key.</summary>
    public async Task<bool> ClaimReservedAsync(string reservationId, string did, CancellationToken ct = default)
    {
        var from = KeyOwner.Reservation(reservationId);
        var to = KeyOwner.Account(did);
        if (_signers.ContainsKey(did) || await KeyRows.GetAsync(Table, to, ct).ConfigureAwait(false) is not null)
        {
            throw new InvalidOperationException($"{did} already has a signing key");
        }
        var (claimed, accountHasKey) = await ClaimAsync(from, did, to, ct).ConfigureAwait(false);
        return accountHasKey ? throw new InvalidOperationException($"{did} already has a signing key") : claimed is not null;
    }

    /// <summary>
    /// Removes the key and any reservation under the DID; a cached signer of the account stops
    /// working. Retryable: a row's outside resources go first, the row last.
    /// </summary>
    public async Task DeleteAsync(string did, CancellationToken ct = default)
    {
        await DeleteRowAsync(KeyOwner.Account(did), ct).ConfigureAwait(false);
        await DeleteRowAsync(KeyOwner.Reservation(did), ct).ConfigureAwait(false);
        if (_signers.TryRemove(did, out var signer))
        {
            DisposeSigner(signer);
        }
    }

    public void Dispose()
    {
        foreach (var signer in _signers.Values)
        {
            DisposeSigner(signer);
        }
        _signers.Clear();
        GC.SuppressFinalize(this);
    }

    private async Task<ISigner?> CreateCoreAsync(string did, KeyOwner owner, CancellationToken ct)
    {
        if (await LoadAsync(did, owner, ct).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }
        var (claimed, accountHasKey) = await ClaimAsync(KeyOwner.Reservation(did), did, owner, ct).ConfigureAwait(false);
        if (claimed is not null)
        {
            return claimed;
        }
        if (!accountHasKey)
        {
            var fresh = await NewKeyAsync(owner, ct).ConfigureAwait(false);
            var inserted = false;
            try
            {
                inserted = await InsertAsync(fresh, ct).ConfigureAwait(false);
            }
            finally
            {
                if (!inserted)
                {
                    DisposeSigner(fresh.Signer);
                }
            }
            if (inserted)
            {
                return Cache(did, fresh.Signer);
            }
        }
        // Another instance got there first; its key is the account's.
        return await LoadAsync(did, owner, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"the signing key of {did} was deleted while it was being created");
    }

    private async Task<ISigner?> LoadAsync(string did, KeyOwner owner, CancellationToken ct)
    {
        if (_signers.TryGetValue(did, out var cached))
        {
            return cached;
        }
        var row = await KeyRows.GetAsync(Table, owner, ct).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }
        KeyRows.RequireMode(row, Mode);
        return Cache(did, await OpenAsync(row, owner, ct).ConfigureAwait(false));
    }

    private async Task<PublicKey> ReserveCoreAsync(KeyOwner owner, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var existing = await KeyRows.GetAsync(Table, owner, ct).ConfigureAwait(false);
            if (existing is not null)
            {
                KeyRows.RequireMode(existing, Mode);
                return KeyRows.ReadPublicKey(existing);
            }
            if (attempt > 0)
            {
                // Lost the insert race, then the winner's reservation was claimed at once.
                throw new InvalidOperationException($"reservation {owner} was claimed while it was being made");
            }
            var fresh = await NewKeyAsync(owner, ct).ConfigureAwait(false);
            try
            {
                if (await InsertAsync(fresh, ct).ConfigureAwait(false))
                {
                    return fresh.Signer.PublicKey;
                }
            }
            finally
            {
                // Reserved keys are not cached: nobody signs with them before they are claimed.
                DisposeSigner(fresh.Signer);
            }
        }
    }

    /// <summary>
    /// Moves a reservation to <paramref name="did"/> in one transaction: the account row appears
    /// and the reservation row (at the ETag read) disappears, or neither.
    /// </summary>
    private async Task<(ISigner? Claimed, bool AccountHasKey)> ClaimAsync(KeyOwner from, string did, KeyOwner to, CancellationToken ct)
    {
        var reserved = await KeyRows.GetAsync(Table, from, ct).ConfigureAwait(false);
        if (reserved is null)
        {
            return (null, false);
        }
        KeyRows.RequireMode(reserved, Mode);
        var rebound = await RebindAsync(reserved, from, to, ct).ConfigureAwait(false);
        try
        {
            await Table.SubmitTransactionAsync(
                [TableTransactionAction.Insert(rebound.Row), TableTransactionAction.Delete(KeyRows.Partition, from.RowKey, reserved.ETag ?? "*")],
                ct).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException)
        {
            // The account got a key meanwhile, or another claimer took the reservation first.
            DisposeSigner(rebound.Signer);
            return (null, await KeyRows.GetAsync(Table, to, ct).ConfigureAwait(false) is not null);
        }
        return (Cache(did, rebound.Signer), false);
    }

    /// <summary>Inserts a new key; false (and what it holds outside the table released) when its owner already has a row.</summary>
    private async Task<bool> InsertAsync(StoredKey fresh, CancellationToken ct)
    {
        try
        {
            await Table.InsertAsync(fresh.Row, ct).ConfigureAwait(false);
            return true;
        }
        catch (StorageConflictException)
        {
            // Nobody ever saw this key: give back what it holds. Best effort; the row decides.
            try
            {
                await ReleaseAsync(fresh.Row, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is KeyVaultException or OperationCanceledException)
            {
                // An unused vault key left behind costs nothing but clutter.
            }
            return false;
        }
    }

    private async Task DeleteRowAsync(KeyOwner owner, CancellationToken ct)
    {
        var row = await KeyRows.GetAsync(Table, owner, ct).ConfigureAwait(false);
        if (row is null)
        {
            return;
        }
        KeyRows.RequireMode(row, Mode);
        await ReleaseAsync(row, ct).ConfigureAwait(false);
        try
        {
            await Table.DeleteAsync(KeyRows.Partition, owner.RowKey, row.ETag ?? "*", ct).ConfigureAwait(false);
        }
        catch (StorageRequestException e) when (e is StorageNotFoundException or StorageConcurrencyException)
        {
            // A concurrent delete already removed it (rows are never updated in place).
        }
    }

    private ISigner Cache(string did, ISigner signer)
    {
        var winner = _signers.GetOrAdd(did, signer);
        if (!ReferenceEquals(winner, signer))
        {
            DisposeSigner(signer);
        }
        return winner;
    }

    private static void DisposeSigner(ISigner signer) => (signer as IDisposable)?.Dispose();
}
