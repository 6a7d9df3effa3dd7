using System.Collections.Concurrent;
using Azure.Core;
using Azure.Identity;

namespace Pds.Azure.Tests.KeyVault;

/// <summary>A credential that hands out one fixed token and records the scopes it was asked for.</summary>
internal sealed class FixedTokenCredential(string token) : TokenCredential
{
    public ConcurrentQueue<string> Scopes { get; } = new();

    public bool Fail { get; set; }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        Issue(requestContext);

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Issue(requestContext));

    private AccessToken Issue(TokenRequestContext context)
    {
        foreach (var scope in context.Scopes)
        {
            Scopes.Enqueue(scope);
        }
        if (Fail)
        {
            throw new AuthenticationFailedException("no identity available in this test");
        }
        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }
}
