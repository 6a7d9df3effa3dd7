namespace Pds.Azure.Adapters.Keys;

/// <summary>
/// Wrap mode cannot use its wrapping key or open a stored key: the wrapping key is absent, not an
/// RSA wrap key, not permitted, or not the one the row was wrapped under, or the row was altered
/// or copied to another owner. Transient vault failures stay <see cref="KeyVault.KeyVaultException"/>.
/// </summary>
public sealed class KeyWrappingException(string message, Exception? innerException = null) : Exception(message, innerException);
