using System.CommandLine;

namespace Pds.Functions.Cli;

/// <summary>The account an admin command acts on, named by DID or by handle.</summary>
internal static class AccountTarget
{
    public static Argument<string> Argument() => new("ACCOUNT")
    {
        Description = "The account: its DID (did:plc:..., did:web:...) or its handle (alice.example.com)",
    };

    /// <summary>The DID: as given, or the handle resolved by the PDS (com.atproto.identity.resolveHandle).</summary>
    public static async Task<string> ResolveAsync(XrpcClient pds, string account, CancellationToken ct)
    {
        var text = account.Trim();
        if (text.StartsWith("did:", StringComparison.Ordinal))
        {
            return text;
        }
        const string nsid = "com.atproto.identity.resolveHandle";
        var handle = text.TrimStart('@');
        var answer = await pds.QueryAsync(nsid, [new("handle", handle)], admin: false, ct).ConfigureAwait(false);
        return XrpcClient.Required(answer, nsid, "did");
    }
}
