using System.Diagnostics.CodeAnalysis;

namespace Pds.Azure.KeyVault;

/// <summary>A versioned key identifier (the JWK "kid"): https://{vault}/keys/{name}/{version}.</summary>
public sealed record KeyVaultKeyId
{
    private KeyVaultKeyId(Uri vaultUri, string name, string version)
    {
        VaultUri = vaultUri;
        Name = name;
        Version = version;
    }

    /// <summary>Scheme, host and port of the vault, no path.</summary>
    public Uri VaultUri { get; }

    public string Name { get; }

    public string Version { get; }

    public Uri Uri => new(VaultUri, $"keys/{Name}/{Version}");

    /// <summary>The id of a version whose name and version were stored earlier (no vault call).</summary>
    public static KeyVaultKeyId Create(Uri vaultUri, string name, string version)
    {
        ArgumentNullException.ThrowIfNull(vaultUri);
        if (!vaultUri.IsAbsoluteUri || vaultUri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException("Key Vault URI must be absolute https", nameof(vaultUri));
        }
        if (!IsValidName(name))
        {
            throw new ArgumentException("key name must be 1-127 letters, digits or dashes", nameof(name));
        }
        if (!IsValidVersion(version))
        {
            throw new ArgumentException("invalid key version", nameof(version));
        }
        return new KeyVaultKeyId(new Uri(vaultUri.GetLeftPart(UriPartial.Authority) + "/"), name, version);
    }

    public static KeyVaultKeyId Parse(string kid) =>
        TryParse(kid, out var id) ? id : throw new FormatException("not a versioned Key Vault key id (https://{vault}/keys/{name}/{version})");

    public static bool TryParse(string? kid, [NotNullWhen(true)] out KeyVaultKeyId? id)
    {
        id = null;
        if (!Uri.TryCreate(kid, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps
            || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return false;
        }
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is not ["keys", var name, var version] || !IsValidName(name) || !IsValidVersion(version))
        {
            return false;
        }
        id = new KeyVaultKeyId(new Uri(uri.GetLeftPart(UriPartial.Authority) + "/"), name, version);
        return true;
    }

    public override string ToString() => Uri.ToString();

    /// <summary>Key Vault object names: 1-127 ASCII letters, digits and dashes.</summary>
    public static bool IsValidName(string? name) =>
        name is { Length: >= 1 and <= 127 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <summary>Versions are 32 hex digits in Azure; any short alphanumeric string is accepted.</summary>
    internal static bool IsValidVersion(string? version) =>
        version is { Length: >= 1 and <= 64 } && version.All(char.IsAsciiLetterOrDigit);
}
