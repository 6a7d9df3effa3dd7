namespace Pds.Azure.KeyVault;

/// <summary>
/// Every failure of a Key Vault key operation. <see cref="Status"/> is the HTTP status the vault
/// answered with, or 0 when there was no error answer (transport, credential, or a response we
/// reject, such as a signature that does not verify). Messages never carry tokens or key material.
/// </summary>
public sealed class KeyVaultException : Exception
{
    public KeyVaultException(int status, string? errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
        ErrorCode = errorCode;
    }

    public int Status { get; }

    /// <summary>The vault's <c>error.code</c> (e.g. Unauthorized, Forbidden, KeyNotFound, Throttled).</summary>
    public string? ErrorCode { get; }
}
