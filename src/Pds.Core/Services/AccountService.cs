using Pds.Core.Auth;
using Pds.Core.Identity;
using Pds.Core.Sequencer;
using Pds.Core.Storage;
using Pds.Core.Syntax;
using Pds.Core.Xrpc;

namespace Pds.Core.Services;

/// <summary>
/// Account lifecycle: creation (signing key, did:plc through the directory, empty repo, events in
/// the order #identity, #account, #commit, #sync), handle changes, and status changes, each with
/// the firehose event relays expect.
/// </summary>
public sealed class AccountService(
    IAccountStore accounts, IInviteStore invites, IKeyStore keys, IEventLog events, IPlcClient plc, IHandleResolver handles,
    RepoService repos, SessionService sessions, ISequencerSignal sequencer, AccountSettings settings, TimeProvider clock)
{
    public const int MaxPasswordLength = 256;

    public async Task<Session> CreateAsync(CreateAccountInput input, CancellationToken ct = default)
    {
        var handle = HandleRules.Normalize(input.Handle);
        if (HandleRules.ServiceDomain(handle, settings.ServiceHandleDomains) is null)
        {
            throw XrpcException.BadRequest("UnsupportedDomain", "Not a supported handle domain");
        }
        if (input.Did is not null)
        {
            throw XrpcException.InvalidRequest("Creating an account with an existing DID (migration) is not supported yet");
        }
        var email = ValidateEmail(input.Email);
        if (string.IsNullOrEmpty(input.Password) || input.Password.Length > MaxPasswordLength)
        {
            throw XrpcException.InvalidRequest($"Password is required and at most {MaxPasswordLength} characters");
        }
        if (await accounts.GetByHandleAsync(handle.ToString(), ct).ConfigureAwait(false) is not null)
        {
            throw XrpcException.BadRequest("HandleNotAvailable", $"Handle already taken: {handle}");
        }
        if (await accounts.GetByEmailAsync(email, ct).ConfigureAwait(false) is not null)
        {
            throw XrpcException.InvalidRequest($"Email already taken: {email}");
        }
        await CheckInviteAsync(input.InviteCode, ct).ConfigureAwait(false);

        var reservation = "create:" + Guid.NewGuid().ToString("N");
        var signingKey = await keys.ReserveAsync(reservation, ct).ConfigureAwait(false);
        var rotation = new List<Crypto.PublicKey>();
        if (input.RecoveryKey is not null)
        {
            rotation.Add(ParseRecoveryKey(input.RecoveryKey));
        }
        rotation.Add(settings.PlcRotationKey.PublicKey);
        var genesis = await PlcOperation.CreateAtproto(signingKey, handle, settings.PublicUrl, rotation)
            .SignAsync(settings.PlcRotationKey, ct).ConfigureAwait(false);
        var did = genesis.DeriveDid();
        await plc.SubmitAsync(did, genesis, ct).ConfigureAwait(false);
        if (!await keys.ClaimReservedAsync(reservation, did.ToString(), ct).ConfigureAwait(false))
        {
            throw new InvalidOperationException("reserved signing key vanished");
        }
        var now = clock.GetUtcNow();
        var account = new AccountRecord(did.ToString(), handle.ToString(), email, PasswordHasher.Hash(input.Password), AccountStatus.Active, now, input.InviteCode);
        try
        {
            await accounts.CreateAsync(account, ct).ConfigureAwait(false);
        }
        catch (AccountConflictException e)
        {
            await keys.DeleteAsync(did.ToString(), ct).ConfigureAwait(false);
            throw e.Field == "handle"
                ? XrpcException.BadRequest("HandleNotAvailable", $"Handle already taken: {handle}")
                : XrpcException.InvalidRequest(e.Message);
        }
        if (settings.InviteRequired && !await invites.TryUseAsync(input.InviteCode!, did.ToString(), now, ct).ConfigureAwait(false))
        {
            // Concurrent signups passed the check above together; the store admits only as many as
            // the code has uses. Undo this one before anything about it is announced.
            await accounts.DeleteAsync(did.ToString(), ct).ConfigureAwait(false);
            await keys.DeleteAsync(did.ToString(), ct).ConfigureAwait(false);
            throw XrpcException.BadRequest("InvalidInviteCode", "Provided invite code not available");
        }
        await events.AppendPendingAsync(FirehoseEvents.ForIdentity(did.ToString(), handle.ToString(), now), ct).ConfigureAwait(false);
        await events.AppendPendingAsync(FirehoseEvents.ForAccount(did.ToString(), true, null, now), ct).ConfigureAwait(false);
        var commit = await repos.CreateRepoAsync(did.ToString(), ct).ConfigureAwait(false);
        await events.AppendPendingAsync(
            FirehoseEvents.ForSync(did.ToString(), commit.CommitCid, commit.NewBlocks[commit.CommitCid], commit.Rev, clock.GetUtcNow()), ct).ConfigureAwait(false);
        await sequencer.NotifyAsync(did.ToString(), ct).ConfigureAwait(false);
        return await sessions.IssueAsync(account, AuthScopes.Access, null, ct).ConfigureAwait(false);
    }

    /// <summary>Moves an account to a new handle: verify it, update the DID document, announce #identity.</summary>
    public async Task UpdateHandleAsync(string did, string requested, CancellationToken ct = default)
    {
        var handle = HandleRules.Normalize(requested);
        var account = await accounts.GetByDidAsync(did, ct).ConfigureAwait(false) ?? throw XrpcException.InvalidRequest("Account not found");
        var holder = await accounts.GetByHandleAsync(handle.ToString(), ct).ConfigureAwait(false);
        if (holder is not null && holder.Did != did)
        {
            throw XrpcException.BadRequest("HandleNotAvailable", $"Handle already taken: {handle}");
        }
        if (HandleRules.ServiceDomain(handle, settings.ServiceHandleDomains) is null)
        {
            var resolved = await handles.ResolveAsync(handle, ct).ConfigureAwait(false);
            if (resolved?.ToString() != did)
            {
                throw XrpcException.BadRequest("InvalidHandle", "External handle did not resolve to DID");
            }
        }
        if (account.Handle != handle.ToString())
        {
            // Claim the handle here first (the store's uniqueness decides between concurrent
            // claimants), then tell the directory: a loser's DID document never names it.
            try
            {
                await accounts.UpdateHandleAsync(did, handle.ToString(), ct).ConfigureAwait(false);
            }
            catch (AccountConflictException)
            {
                throw XrpcException.BadRequest("HandleNotAvailable", $"Handle already taken: {handle}");
            }
            try
            {
                await UpdatePlcHandleAsync(Did.Parse(did), handle, ct).ConfigureAwait(false);
            }
            catch
            {
                await RevertHandleAsync(did, account.Handle).ConfigureAwait(false);
                throw;
            }
        }
        // Re-announce even when unchanged: clients use updateHandle to ask for a refresh.
        await events.AppendPendingAsync(FirehoseEvents.ForIdentity(did, handle.ToString(), clock.GetUtcNow()), ct).ConfigureAwait(false);
        await sequencer.NotifyAsync(did, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies or lifts a takedown. The holder's deactivation is kept apart from it (as the
    /// reference PDS keeps takedownRef and deactivatedAt): lifting the takedown of an account its
    /// holder had deactivated leaves it deactivated, announced as such and without #sync, since
    /// its repo is still not served. Otherwise the account is active again, #sync re-asserting the repo.
    /// </summary>
    public Task SetTakedownAsync(AccountRecord account, bool applied, StoredHead? headForSync, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (!applied && account.Status != AccountStatus.Takendown)
        {
            return Task.CompletedTask;
        }
        var status = applied ? AccountStatus.Takendown : account.Deactivated ? AccountStatus.Deactivated : AccountStatus.Active;
        return ChangeAsync(account, status, account.Deactivated, headForSync, ct);
    }

    /// <summary>
    /// The holder deactivating or reactivating the account. Under a takedown (or suspension) only
    /// the choice is recorded, for when the takedown is lifted: the account shows the same status,
    /// so nothing is announced.
    /// </summary>
    public Task SetDeactivatedAsync(AccountRecord account, bool deactivated, StoredHead? headForSync, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var status = account.Status is AccountStatus.Active or AccountStatus.Deactivated
            ? deactivated ? AccountStatus.Deactivated : AccountStatus.Active
            : account.Status;
        return ChangeAsync(account, status, deactivated, headForSync, ct);
    }

    /// <summary>
    /// Deletes an account for good: announces #account deleted, then removes its repo, blobs,
    /// preferences, sessions and signing key, and finally the account row.
    /// </summary>
    public async Task DeleteAsync(string did, IRepoStore repoStore, IBlobStore blobs, IBlobIndex blobIndex, IPreferenceStore preferences,
        ISessionStore sessionStore, CancellationToken ct = default)
    {
        await accounts.UpdateStatusAsync(did, AccountStatus.Deleted, deactivated: false, ct).ConfigureAwait(false);
        await AnnounceAsync(did, AccountStatus.Deleted, null, ct).ConfigureAwait(false);
        await sessionStore.DeleteRefreshTokensForAccountAsync(did, ct).ConfigureAwait(false);
        foreach (var app in await sessionStore.ListAppPasswordsAsync(did, ct).ConfigureAwait(false))
        {
            await sessionStore.DeleteAppPasswordAsync(did, app.Name, ct).ConfigureAwait(false);
        }
        await repoStore.DeleteRepoAsync(did, ct).ConfigureAwait(false);
        await blobs.DeleteAllAsync(did, ct).ConfigureAwait(false);
        await blobIndex.DeleteAllAsync(did, ct).ConfigureAwait(false);
        await preferences.DeleteAllAsync(did, ct).ConfigureAwait(false);
        await keys.DeleteAsync(did, ct).ConfigureAwait(false);
        await accounts.DeleteAsync(did, ct).ConfigureAwait(false);
    }

    /// <summary>Stores a change; when the status shown changes, announces #account (and #sync on reactivation).</summary>
    private async Task ChangeAsync(AccountRecord account, AccountStatus status, bool deactivated, StoredHead? headForSync, CancellationToken ct)
    {
        if (account.Status == status && account.Deactivated == deactivated)
        {
            return;
        }
        await accounts.UpdateStatusAsync(account.Did, status, deactivated, ct).ConfigureAwait(false);
        if (account.Status != status)
        {
            await AnnounceAsync(account.Did, status, headForSync, ct).ConfigureAwait(false);
        }
    }

    private async Task AnnounceAsync(string did, AccountStatus status, StoredHead? headForSync, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var name = status switch
        {
            AccountStatus.Active => null,
            AccountStatus.Takendown => "takendown",
            AccountStatus.Suspended => "suspended",
            AccountStatus.Deleted => "deleted",
            _ => "deactivated",
        };
        await events.AppendPendingAsync(FirehoseEvents.ForAccount(did, status == AccountStatus.Active, name, now), ct).ConfigureAwait(false);
        if (status == AccountStatus.Active && headForSync is not null)
        {
            await events.AppendPendingAsync(FirehoseEvents.ForSync(did, headForSync.CommitCid, headForSync.CommitBytes, headForSync.Rev, now), ct).ConfigureAwait(false);
        }
        await sequencer.NotifyAsync(did, ct).ConfigureAwait(false);
    }

    /// <summary>The directory did not take the new handle: give it back (unless the old one was taken meanwhile).</summary>
    private async Task RevertHandleAsync(string did, string oldHandle)
    {
        try
        {
            await accounts.UpdateHandleAsync(did, oldHandle, CancellationToken.None).ConfigureAwait(false);
        }
        catch (AccountConflictException)
        {
            // Someone took the old handle in between; the account keeps the new one here.
        }
    }

    private async Task UpdatePlcHandleAsync(Did did, Handle handle, CancellationToken ct)
    {
        if (!did.IsPlc)
        {
            return;
        }
        var last = await plc.GetLastOperationAsync(did, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"no PLC history for {did}");
        var next = await last.Operation.Next(handle: handle).SignAsync(settings.PlcRotationKey, ct).ConfigureAwait(false);
        await plc.SubmitAsync(did, next, ct).ConfigureAwait(false);
    }

    private async Task CheckInviteAsync(string? code, CancellationToken ct)
    {
        if (!settings.InviteRequired)
        {
            return;
        }
        if (string.IsNullOrEmpty(code))
        {
            throw XrpcException.BadRequest("InvalidInviteCode", "No invite code provided");
        }
        var invite = await invites.GetAsync(code, ct).ConfigureAwait(false);
        if (invite is null || invite.Disabled || invite.Uses.Count >= invite.AvailableUses)
        {
            throw XrpcException.BadRequest("InvalidInviteCode", "Provided invite code not available");
        }
    }

    private static string ValidateEmail(string? email)
    {
        var trimmed = email?.Trim().ToLowerInvariant();
        var at = trimmed?.IndexOf('@', StringComparison.Ordinal) ?? -1;
        if (trimmed is null || at <= 0 || trimmed.IndexOf('.', at) < at + 2 || trimmed.EndsWith('.') || trimmed.Length > 254 || trimmed.Any(char.IsWhiteSpace))
        {
            throw XrpcException.InvalidRequest("Email is required and must be a valid address");
        }
        return trimmed;
    }

    private static Crypto.PublicKey ParseRecoveryKey(string didKey)
    {
        try
        {
            return Crypto.PublicKey.FromDidKey(didKey);
        }
        catch (Crypto.CryptoFormatException e)
        {
            throw XrpcException.InvalidRequest("recoveryKey must be a did:key: " + e.Message);
        }
    }
}
