using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Pds.Core.Crypto;

namespace Pds.Azure.KeyVault;

/// <summary>
/// The few Key Vault key operations the PDS needs (create, get, delete, sign, wrap, unwrap), as REST calls
/// on an Azure.Core pipeline with Entra bearer tokens and retries.
/// </summary>
public sealed class KeyVaultKeysClient
{
    public const string Scope = "https://vault.azure.net/.default";
    public const string WrapAlgorithm = "RSA-OAEP-256";

    private const int ErrorMessageLimit = 300;

    private readonly HttpPipeline _pipeline;
    private readonly string _apiVersion;

    public KeyVaultKeysClient(Uri vaultUri, TokenCredential credential, KeyVaultKeysClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vaultUri);
        ArgumentNullException.ThrowIfNull(credential);
        // Azure.Core's bearer policy refuses plain http anyway; failing here says why at construction.
        if (!vaultUri.IsAbsoluteUri || vaultUri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException("Key Vault URI must be absolute https", nameof(vaultUri));
        }
        options ??= new KeyVaultKeysClientOptions();
        VaultUri = new Uri(vaultUri.GetLeftPart(UriPartial.Authority) + "/");
        _apiVersion = options.ApiVersion;
        _pipeline = HttpPipelineBuilder.Build(options, new BearerTokenAuthenticationPolicy(credential, Scope));
    }

    public Uri VaultUri { get; }

    /// <summary>Creates a software EC key (new version if the name exists) for sign/verify.</summary>
    public async Task<KeyVaultKey> CreateEcKeyAsync(string name, KeyType type, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject
        {
            ["kty"] = "EC",
            ["crv"] = KeyVaultKey.KeyTypeToCurve(type),
            ["key_ops"] = new JsonArray("sign", "verify"),
        };
        return await CreateKeyAsync(name, body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates an RSA key for wrapKey/unwrapKey (the key-encryption key of wrap mode).</summary>
    public async Task<KeyVaultKey> CreateRsaKeyAsync(string name, int keySize = 3072, CancellationToken cancellationToken = default)
    {
        if (keySize is not (2048 or 3072 or 4096))
        {
            throw new ArgumentOutOfRangeException(nameof(keySize), keySize, "RSA key size must be 2048, 3072 or 4096");
        }
        var body = new JsonObject
        {
            ["kty"] = "RSA",
            ["key_size"] = keySize,
            ["key_ops"] = new JsonArray("wrapKey", "unwrapKey"),
        };
        return await CreateKeyAsync(name, body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The latest version of a key, or the given one.</summary>
    public async Task<KeyVaultKey> GetKeyAsync(string name, string? version = null, CancellationToken cancellationToken = default)
    {
        RequireName(name);
        if (version is not null && !KeyVaultKeyId.IsValidVersion(version))
        {
            throw new ArgumentException("invalid key version", nameof(version));
        }
        var path = version is null ? $"keys/{name}" : $"keys/{name}/{version}";
        using var doc = await SendAsync(RequestMethod.Get, path, body: null, cancellationToken).ConfigureAwait(false);
        return ReadKeyBundle(doc);
    }

    /// <summary>
    /// Deletes a key with all its versions; false when there was no such key. Soft delete is always
    /// on in Key Vault, so the name stays taken (a create under it fails with 409) until the
    /// retention period ends or someone purges it.
    /// </summary>
    public async Task<bool> DeleteKeyAsync(string name, CancellationToken cancellationToken = default)
    {
        RequireName(name);
        try
        {
            using var doc = await SendAsync(RequestMethod.Delete, $"keys/{name}", body: null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KeyVaultException e) when (e.Status == 404)
        {
            return false;
        }
    }

    /// <summary>Signs a 32-byte SHA-256 digest with ES256K or ES256; returns the raw 64-byte r||s as the vault sent it.</summary>
    public async Task<byte[]> SignAsync(KeyVaultKeyId keyId, string algorithm, ReadOnlyMemory<byte> digest, CancellationToken cancellationToken = default)
    {
        if (algorithm is not ("ES256K" or "ES256"))
        {
            throw new ArgumentException("algorithm must be ES256K or ES256", nameof(algorithm));
        }
        if (digest.Length != 32)
        {
            throw new ArgumentException("digest must be 32 bytes (SHA-256)", nameof(digest));
        }
        var signature = await KeyOperationAsync(keyId, "sign", algorithm, digest, cancellationToken).ConfigureAwait(false);
        if (signature.Length != LowS.SignatureLength)
        {
            throw new KeyVaultException(0, null, $"vault returned a {signature.Length}-byte signature, expected {LowS.SignatureLength} (r||s)");
        }
        return signature;
    }

    /// <summary>Encrypts a small secret (a data key) under an RSA vault key with RSA-OAEP-256.</summary>
    public Task<byte[]> WrapKeyAsync(KeyVaultKeyId keyId, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default) =>
        KeyOperationAsync(keyId, "wrapkey", WrapAlgorithm, key, cancellationToken);

    public Task<byte[]> UnwrapKeyAsync(KeyVaultKeyId keyId, ReadOnlyMemory<byte> wrappedKey, CancellationToken cancellationToken = default) =>
        KeyOperationAsync(keyId, "unwrapkey", WrapAlgorithm, wrappedKey, cancellationToken);

    private async Task<KeyVaultKey> CreateKeyAsync(string name, JsonObject body, CancellationToken cancellationToken)
    {
        RequireName(name);
        using var doc = await SendAsync(RequestMethod.Post, $"keys/{name}/create", body, cancellationToken).ConfigureAwait(false);
        return ReadKeyBundle(doc);
    }

    private async Task<byte[]> KeyOperationAsync(KeyVaultKeyId keyId, string operation, string algorithm, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        // The bearer token goes wherever the kid points, so a kid from another host is refused.
        if (keyId.VaultUri != VaultUri)
        {
            throw new ArgumentException("key id belongs to another vault", nameof(keyId));
        }
        var body = new JsonObject { ["alg"] = algorithm, ["value"] = Base64Url.EncodeToString(value.Span) };
        using var doc = await SendAsync(RequestMethod.Post, $"keys/{keyId.Name}/{keyId.Version}/{operation}", body, cancellationToken).ConfigureAwait(false);
        if (doc.RootElement.ValueKind != JsonValueKind.Object
            || !doc.RootElement.TryGetProperty("value", out var result)
            || result.ValueKind != JsonValueKind.String)
        {
            throw new KeyVaultException(0, null, $"Key Vault {operation} response has no 'value'");
        }
        try
        {
            return Base64Url.DecodeFromChars(result.GetString());
        }
        catch (FormatException e)
        {
            throw new KeyVaultException(0, null, $"Key Vault {operation} response 'value' is not base64url", e);
        }
    }

    private async Task<JsonDocument> SendAsync(RequestMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(VaultUri);
        // Names and versions are validated to [A-Za-z0-9-], so the path needs no escaping.
        request.Uri.AppendPath(path, escape: false);
        request.Uri.AppendQuery("api-version", _apiVersion);
        request.Headers.Add(HttpHeader.Names.Accept, "application/json");
        if (body is not null)
        {
            request.Headers.Add(HttpHeader.Names.ContentType, "application/json");
            request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(body, KeyVaultJson.Default.JsonObject));
        }
        try
        {
            await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            throw new KeyVaultException(e.Status, e.ErrorCode, $"Key Vault request failed: {e.Message}", e);
        }
        catch (AuthenticationFailedException e)
        {
            throw new KeyVaultException(0, null, "could not get a token for Key Vault", e);
        }
        var response = message.Response;
        if (response.Status is < 200 or >= 300)
        {
            throw ErrorFrom(response);
        }
        try
        {
            return JsonDocument.Parse(response.Content.ToMemory());
        }
        catch (JsonException e)
        {
            throw new KeyVaultException(0, null, "Key Vault response is not JSON", e);
        }
    }

    private static KeyVaultKey ReadKeyBundle(JsonDocument doc)
    {
        try
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("key", out var jwk))
            {
                throw new FormatException("KeyBundle has no 'key'");
            }
            return KeyVaultKey.FromJwk(jwk);
        }
        catch (FormatException e)
        {
            throw new KeyVaultException(0, null, $"malformed KeyBundle: {e.Message}", e);
        }
    }

    // Body shape: {"error":{"code":"...","message":"..."}}. The service message names the key and
    // operation, never the token; it is still cut short so a hostile proxy cannot flood logs.
    private static KeyVaultException ErrorFrom(Response response)
    {
        string? code = null;
        string? text = null;
        try
        {
            using var doc = JsonDocument.Parse(response.Content.ToMemory());
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object)
            {
                code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                text = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            }
        }
        catch (JsonException)
        {
            // Not a Key Vault error body (a gateway page); the status says enough.
        }
        if (text is { Length: > ErrorMessageLimit })
        {
            text = text[..ErrorMessageLimit] + "...";
        }
        var message = $"Key Vault answered {response.Status} {code ?? response.ReasonPhrase}" + (text is null ? "" : $": {text}");
        return new KeyVaultException(response.Status, code, message);
    }

    private static void RequireName(string name)
    {
        if (!KeyVaultKeyId.IsValidName(name))
        {
            throw new ArgumentException("key name must be 1-127 letters, digits or dashes", nameof(name));
        }
    }
}
