namespace Pds.Core.Identity;

/// <summary>
/// A service entry of a DID document with a string endpoint. <see cref="Id"/> is as written:
/// relative (<c>#atproto_pds</c>) or absolute (<c>did:...#atproto_pds</c>).
/// </summary>
public sealed record DidService(string Id, string Type, string Endpoint)
{
    /// <summary>The endpoint as an absolute http or https URI, or null when it is anything else.</summary>
    public Uri? HttpEndpoint =>
        Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) &&
        (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) &&
        uri.Host.Length > 0 && string.IsNullOrEmpty(uri.UserInfo) ? uri : null;
}
