using Pds.Core.Crypto;

namespace Pds.Core.Services;

/// <summary>What account creation needs to know about this PDS.</summary>
/// <param name="PublicUrl">The PDS endpoint written into new DID documents.</param>
/// <param name="ServiceHandleDomains">Suffixes (with a leading dot) under which this PDS hands out handles.</param>
/// <param name="PlcRotationKey">The PDS's rotation key: signs PLC operations for its accounts.</param>
public sealed record AccountSettings(string PublicUrl, IReadOnlyList<string> ServiceHandleDomains, bool InviteRequired, ISigner PlcRotationKey);

/// <summary>Input of com.atproto.server.createAccount.</summary>
public sealed record CreateAccountInput(string Handle, string? Email, string? Password, string? InviteCode, string? Did, string? RecoveryKey);
