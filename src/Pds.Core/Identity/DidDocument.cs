using Pds.Core.Crypto;
using Pds.Core.Syntax;

namespace Pds.Core.Identity;

/// <summary>
/// The parts of a DID document atproto reads: the DID, its aliases (the handle is the first
/// <c>at://</c> one), verification methods (the repo signing key is <c>#atproto</c>) and services
/// (the PDS is <c>#atproto_pds</c>; app views and others are looked up by fragment for
/// <c>atproto-proxy</c>). Immutable. Fragments match ids written relative (<c>#atproto</c>) or
/// absolute with this document's own DID; an absolute id naming another DID never matches.
/// </summary>
public sealed partial class DidDocument
{
    public const string AtprotoKeyFragment = "atproto";
    public const string AtprotoPdsFragment = "atproto_pds";
    public const string AtprotoPdsType = "AtprotoPersonalDataServer";

    private const string AtUriPrefix = "at://";

    public DidDocument(
        Did id,
        IReadOnlyList<string> alsoKnownAs,
        IReadOnlyList<DidVerificationMethod> verificationMethods,
        IReadOnlyList<DidService> services)
    {
        ArgumentNullException.ThrowIfNull(id);
        Id = id;
        AlsoKnownAs = alsoKnownAs ?? throw new ArgumentNullException(nameof(alsoKnownAs));
        VerificationMethods = verificationMethods ?? throw new ArgumentNullException(nameof(verificationMethods));
        Services = services ?? throw new ArgumentNullException(nameof(services));
    }

    public Did Id { get; }
    public IReadOnlyList<string> AlsoKnownAs { get; }
    public IReadOnlyList<DidVerificationMethod> VerificationMethods { get; }
    public IReadOnlyList<DidService> Services { get; }

    /// <summary>
    /// The claimed handle: the first <c>at://</c> alias, or null when there is none or it is not a
    /// valid handle. Only a handle that resolves back to <see cref="Id"/> may be shown as verified.
    /// </summary>
    public Handle? Handle
    {
        get
        {
            var first = AlsoKnownAs.FirstOrDefault(a => a.StartsWith(AtUriPrefix, StringComparison.Ordinal));
            return first is not null && Handle.TryParse(first[AtUriPrefix.Length..], out var handle) ? handle : null;
        }
    }

    /// <summary>The atproto repo signing key, or null when <c>#atproto</c> is missing or unusable.</summary>
    public PublicKey? SigningKey => GetVerificationKey(AtprotoKeyFragment);

    /// <summary>The PDS: service <c>#atproto_pds</c> of type AtprotoPersonalDataServer with an http(s) URL.</summary>
    public Uri? PdsEndpoint => GetServiceEndpoint(AtprotoPdsFragment, AtprotoPdsType);

    /// <summary>The first service whose id has this fragment (given with or without '#').</summary>
    public DidService? GetService(string fragment)
    {
        var f = Fragment(fragment);
        return Services.FirstOrDefault(s => IdHasFragment(s.Id, f));
    }

    /// <summary>The http(s) endpoint of the service with this fragment, optionally of the given type.</summary>
    public Uri? GetServiceEndpoint(string fragment, string? type = null)
    {
        var service = GetService(fragment);
        return service is not null && (type is null || service.Type == type) ? service.HttpEndpoint : null;
    }

    public DidVerificationMethod? GetVerificationMethod(string fragment)
    {
        var f = Fragment(fragment);
        return VerificationMethods.FirstOrDefault(m => IdHasFragment(m.Id, f));
    }

    /// <summary>
    /// The key of a verification method: <c>Multikey</c> (the curve in the multicodec prefix) or
    /// the legacy <c>EcdsaSecp256k1VerificationKey2019</c> / <c>EcdsaSecp256r1VerificationKey2019</c>
    /// (bare point). Null for other types or keys that do not decode.
    /// </summary>
    public PublicKey? GetVerificationKey(string fragment)
    {
        var method = GetVerificationMethod(fragment);
        if (method?.PublicKeyMultibase is not { } multibase)
        {
            return null;
        }
        try
        {
            return method.Type switch
            {
                DidVerificationMethod.MultikeyType => PublicKey.FromMultikey(multibase),
                _ when method.Type == KeyType.Secp256k1.DidDocumentSuite() => PublicKey.FromLegacyMultibase(KeyType.Secp256k1, multibase),
                _ when method.Type == KeyType.P256.DidDocumentSuite() => PublicKey.FromLegacyMultibase(KeyType.P256, multibase),
                _ => null,
            };
        }
        catch (CryptoFormatException)
        {
            return null;
        }
    }

    private bool IdHasFragment(string id, string fragment)
    {
        var hash = id.IndexOf('#', StringComparison.Ordinal);
        if (hash < 0 || !id.AsSpan(hash + 1).SequenceEqual(fragment))
        {
            return false;
        }
        return hash == 0 || id.AsSpan(0, hash).SequenceEqual(Id.ToString());
    }

    private static string Fragment(string fragment)
    {
        ArgumentNullException.ThrowIfNull(fragment);
        var f = fragment.StartsWith('#') ? fragment[1..] : fragment;
        ArgumentException.ThrowIfNullOrEmpty(f, nameof(fragment));
        return f;
    }
}
