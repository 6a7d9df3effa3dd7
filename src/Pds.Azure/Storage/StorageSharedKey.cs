using System.Security.Cryptography;
using System.Text;

namespace Pds.Azure.Storage;

/// <summary>
/// An account name and its decoded key. Deliberately not a record and without a ToString that
/// shows the key: instances end up in debugger views, exceptions and logs.
/// </summary>
internal sealed class StorageSharedKey
{
    private readonly byte[] _key;

    public StorageSharedKey(string accountName, string base64Key)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountName);
        AccountName = accountName;
        try
        {
            _key = Convert.FromBase64String(base64Key);
        }
        catch (FormatException)
        {
            // The message must not repeat the value.
            throw new FormatException("the storage account key is not valid base64");
        }
    }

    public string AccountName { get; }

    /// <summary>Base64(HMAC-SHA256(key, UTF-8(stringToSign))).</summary>
    public string Sign(string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(stringToSign)));

    public override string ToString() => $"SharedKey({AccountName})";
}
