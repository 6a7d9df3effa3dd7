using Azure.Core;

namespace Pds.Azure.SignalR;

public sealed class SignalRRestPublisherOptions : ClientOptions
{
    public const string DefaultApiVersion = "2022-06-01";

    public SignalRRestPublisherOptions()
    {
        // A retried send may deliver twice; subscribers dedupe by seq, so that is harmless.
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = 3;
        Retry.Delay = TimeSpan.FromMilliseconds(200);
        Retry.MaxDelay = TimeSpan.FromSeconds(5);
    }

    public string ApiVersion { get; set; } = DefaultApiVersion;

    /// <summary>Lifetime of each access-key JWT (one is minted per attempt).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
