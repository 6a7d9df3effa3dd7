using Azure.Core;
using Azure.Core.Pipeline;

namespace Pds.Azure.SignalR;

/// <summary>Signs every attempt with a fresh HS256 token whose aud is that request's URL.</summary>
internal sealed class AccessKeyAuthenticationPolicy(string accessKey, TimeSpan lifetime, TimeProvider time) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var audience = SignalRAccessToken.RestAudience(message.Request.Uri.ToUri());
        var token = SignalRAccessToken.Create(audience, accessKey, time.GetUtcNow() + lifetime);
        message.Request.Headers.SetValue(HttpHeader.Names.Authorization, "Bearer " + token);
    }
}
