using System.Security.Cryptography;
using System.Text;
using Pds.Azure.KeyVault;
using Pds.Azure.Storage;
using Pds.Core.Crypto;

namespace Pds.Azure.Adapters.Keys;

/// <summary>
/// Wrap mode: secp256k1 account keys made in-process, their private scalars stored in the table
/// wrapped (RSA-OAEP-256) under ONE Key Vault RSA key. A key is unwrapped once per process (one
/// vault call) and signs locally from then on. New keys are wrapped locally with the public key
/// (<see cref="WrappingKey"/>), so creating one costs no vault call after the first. Needs Key
/// Vault Crypto User (get, unwrapKey) on the wrapping key.
/// </summary>
public sealed class WrappedKeyStore : TableKeyStore
{
    internal const string WrapMode = "wrap";

    private const string WrappingKeyNameProperty = "WrappingKeyName";
    private const string WrappingKeyVersionProperty = "WrappingKeyVersion";
    private const string WrappedProperty = "Wrapped";

    private static readonly byte[] CheckPlaintext = Encoding.UTF8.GetBytes("pds wrapping key check v1");

    private readonly KeyVaultKeysClient _vault;
    private readonly WrappedKeyStoreSettings _settings;
    private readonly SingleFlight<WrappingKey> _resolving = new();
    private WrappingKey? _wrappingKey;

    /// <param name="table">The keys table (suggested name "keys"); the host creates it.</param>
    public WrappedKeyStore(KeyVaultKeysClient vault, TableClient table, WrappedKeyStoreSettings settings)
        : base(table)
    {
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(settings);
        if (!KeyVaultKeyId.IsValidName(settings.WrappingKeyName))
        {
            throw new ArgumentException("wrapping key name must be 1-127 letters, digits or dashes", nameof(settings));
        }
        if (settings.WrappingKeyVersion is { } version && !KeyVaultKeyId.IsValidVersion(version))
        {
            throw new ArgumentException("invalid wrapping key version", nameof(settings));
        }
        _vault = vault;
        _settings = settings;
    }

    /// <summary>
    /// Startup check: the configured wrapping key exists and is an RSA wrap key, and the vault
    /// unwraps the check value kept in the table (written on first use), so a wrong or absent
    /// wrapping key, or a missing unwrapKey permission, fails here with
    /// <see cref="KeyWrappingException"/> rather than at the first signature. One key read and one
    /// unwrap.
    /// </summary>
    public async Task VerifyWrappingKeyAsync(CancellationToken ct = default)
    {
        var wrapping = await WrappingKeyAsync(ct).ConfigureAwait(false);
        var owner = KeyOwner.WrappingCheck;
        var check = await KeyRows.GetAsync(Table, owner, ct).ConfigureAwait(false);
        if (check is null)
        {
            var fresh = new TableEntity(KeyRows.Partition, owner.RowKey)
                .Set(KeyRows.ModeProperty, WrapMode)
                .Set(KeyRows.CreatedAtProperty, DateTimeOffset.UtcNow)
                .Set(WrappedProperty, wrapping.Wrap(CheckPlaintext));
            KeyRows.SetVaultKey(fresh, WrappingKeyNameProperty, WrappingKeyVersionProperty, wrapping.Id);
            try
            {
                await Table.InsertAsync(fresh, ct).ConfigureAwait(false);
                check = fresh;
            }
            catch (StorageConflictException)
            {
                check = await KeyRows.GetAsync(Table, owner, ct).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("the wrapping key check row vanished");
            }
        }
        KeyRows.RequireMode(check, Mode);
        var opened = await UnwrapAsync(check, owner, ct).ConfigureAwait(false);
        if (!CryptographicOperations.FixedTimeEquals(opened, CheckPlaintext))
        {
            throw new KeyWrappingException("the wrapping key check value does not unwrap to what was stored: wrong wrapping key");
        }
    }

    private protected override string Mode => WrapMode;

    private protected override async Task<StoredKey> NewKeyAsync(KeyOwner owner, CancellationToken ct)
    {
        var wrapping = await WrappingKeyAsync(ct).ConfigureAwait(false);
        var key = Keypair.Generate(KeyType.Secp256k1);
        try
        {
            return new StoredKey(NewRow(owner, key, wrapping), key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private protected override async Task<ISigner> OpenAsync(TableEntity row, KeyOwner owner, CancellationToken ct)
    {
        var expected = KeyRows.ReadPublicKey(row);
        var payload = await UnwrapAsync(row, owner, ct).ConfigureAwait(false);
        try
        {
            return WrappedScalar.Open(payload, owner, expected);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(payload);
        }
    }

    /// <summary>Unwraps the reserved key (one vault call) and wraps it again, bound to its new owner.</summary>
    private protected override async Task<StoredKey> RebindAsync(TableEntity reserved, KeyOwner from, KeyOwner to, CancellationToken ct)
    {
        var key = (Keypair)await OpenAsync(reserved, from, ct).ConfigureAwait(false);
        try
        {
            var wrapping = await WrappingKeyAsync(ct).ConfigureAwait(false);
            return new StoredKey(NewRow(to, key, wrapping), key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Nothing outside the table: the row is the key.</summary>
    private protected override Task ReleaseAsync(TableEntity row, CancellationToken ct) => Task.CompletedTask;

    private TableEntity NewRow(KeyOwner owner, Keypair key, WrappingKey wrapping)
    {
        var payload = WrappedScalar.Payload(key, owner);
        byte[] wrapped;
        try
        {
            wrapped = wrapping.Wrap(payload);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(payload);
        }
        var row = KeyRows.New(owner, WrapMode, key.PublicKey).Set(WrappedProperty, wrapped);
        return KeyRows.SetVaultKey(row, WrappingKeyNameProperty, WrappingKeyVersionProperty, wrapping.Id);
    }

    /// <summary>The vault unwraps a row's value under the key version the row names.</summary>
    private async Task<byte[]> UnwrapAsync(TableEntity row, KeyOwner owner, CancellationToken ct)
    {
        var id = KeyRows.ReadVaultKey(row, WrappingKeyNameProperty, WrappingKeyVersionProperty, _vault);
        var wrapped = KeyRows.RequiredBinary(row, WrappedProperty);
        try
        {
            return await _vault.UnwrapKeyAsync(id, wrapped, ct).ConfigureAwait(false);
        }
        catch (KeyVaultException e) when (e.Status is 400 or 403 or 404)
        {
            throw new KeyWrappingException(
                $"the vault cannot unwrap the key of {owner} with wrapping key {id.Name}/{id.Version} ({e.Status} {e.ErrorCode}): the wrapping key is absent, not permitted, or wrong (not the one the row was wrapped under)", e);
        }
    }

    /// <summary>The configured wrapping key, read from the vault once per store.</summary>
    private async Task<WrappingKey> WrappingKeyAsync(CancellationToken ct)
    {
        if (_wrappingKey is { } known)
        {
            return known;
        }
        return await _resolving.RunAsync("", async c =>
        {
            KeyVaultKey key;
            try
            {
                key = await _vault.GetKeyAsync(_settings.WrappingKeyName, _settings.WrappingKeyVersion, c).ConfigureAwait(false);
            }
            catch (KeyVaultException e) when (e.Status is 403 or 404)
            {
                var what = _settings.WrappingKeyName + (_settings.WrappingKeyVersion is { } v ? "/" + v : "");
                throw new KeyWrappingException(
                    $"wrapping key '{what}' cannot be read from {_vault.VaultUri} ({e.Status} {e.ErrorCode}): create it (RSA, key_ops wrapKey and unwrapKey) or grant access", e);
            }
            return _wrappingKey = WrappingKey.From(key);
        }, ct).ConfigureAwait(false);
    }
}
