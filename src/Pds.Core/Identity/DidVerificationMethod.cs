namespace Pds.Core.Identity;

/// <summary>A verification method of a DID document; fields the document left out or mistyped are null.</summary>
public sealed record DidVerificationMethod(string Id, string? Type, string? Controller, string? PublicKeyMultibase)
{
    public const string MultikeyType = "Multikey";
}
