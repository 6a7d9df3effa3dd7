using Azure.Core;

namespace Pds.Azure.KeyVault;

public sealed class KeyVaultKeysClientOptions : ClientOptions
{
    /// <summary>Pinned so a service change never alters request or response shapes under us.</summary>
    public const string DefaultApiVersion = "7.4";

    public KeyVaultKeysClientOptions()
    {
        // Azure.Core retries 408, 429, 500, 502, 503, 504 and transport errors, honouring Retry-After.
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = 4;
        Retry.Delay = TimeSpan.FromMilliseconds(800);
        Retry.MaxDelay = TimeSpan.FromSeconds(20);
    }

    public string ApiVersion { get; set; } = DefaultApiVersion;
}
