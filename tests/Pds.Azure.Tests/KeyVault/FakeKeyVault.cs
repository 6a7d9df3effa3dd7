using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pds.Azure.KeyVault;
using Pds.Core.Crypto;

namespace Pds.Azure.Tests.KeyVault;

/// <summary>
/// An in-process stand-in for the Key Vault keys REST API (HTTPS on 127.0.0.1) backed by real
/// local keys. It records every request, signs with deliberately HIGH-S signatures (which Key
/// Vault is allowed to return), and can be told to fail or to corrupt what it sends back. Deletes
/// are soft, as in Key Vault: a deleted name cannot be created again.
/// </summary>
internal sealed class FakeKeyVault : IAsyncDisposable
{
    public const string Token = "test-token-not-a-secret";
    public const string ApiVersion = "7.4";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, List<StoredKey>> _keys = new();
    private readonly ConcurrentDictionary<string, List<StoredKey>> _deleted = new();
    private readonly ConcurrentQueue<(int Status, string Code)> _failures = new();

    private FakeKeyVault(WebApplication app) => _app = app;

    public required Uri VaultUri { get; init; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public SignatureMode Signatures { get; set; } = SignatureMode.HighS;

    public FixedTokenCredential Credential { get; } = new(Token);

    /// <summary>While set, key creation requests wait for this task (to line up racing creators).</summary>
    public Task? HoldCreates { get; set; }

    public static async Task<FakeKeyVault> StartAsync()
    {
        FakeKeyVault? fake = null;
        var (app, baseUri) = await TestHost.StartAsync(null, app => app.Run(context => fake!.HandleAsync(context)), https: true);
        fake = new FakeKeyVault(app) { VaultUri = baseUri };
        return fake;
    }

    public KeyVaultKeysClient CreateClient(int maxRetries = 3)
    {
        var options = new KeyVaultKeysClientOptions { Transport = new HttpClientTransport(TestCertificate.TrustingHandler()) };
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(5);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(20);
        return new KeyVaultKeysClient(VaultUri, Credential, options);
    }

    /// <summary>The next <paramref name="count"/> requests fail with this status and error code.</summary>
    public void FailNext(int status, string code, int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            _failures.Enqueue((status, code));
        }
    }

    public Keypair EcKey(string name) => _keys[name][^1].Ec!;

    /// <summary>Names of the keys that exist (not deleted).</summary>
    public IReadOnlyCollection<string> KeyNames => _keys.Keys.ToArray();

    public IReadOnlyCollection<string> DeletedKeyNames => _deleted.Keys.ToArray();

    /// <summary>Requests whose path ends with /<paramref name="operation"/> (sign, wrapkey, unwrapkey, create).</summary>
    public int Count(string operation) => Requests.Count(r => r.Path.EndsWith("/" + operation, StringComparison.Ordinal));

    /// <summary>Adds a key the way an operator might have made it, e.g. with other key_ops.</summary>
    public void AddRsaKey(string name, int keySize, params string[] keyOps)
    {
        var key = new StoredKey(Guid.NewGuid().ToString("N"), null, RSA.Create(keySize), keyOps);
        _keys.AddOrUpdate(name, _ => [key], (_, list) => [.. list, key]);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var versions in _keys.Values.Concat(_deleted.Values))
        {
            foreach (var key in versions)
            {
                key.Ec?.Dispose();
                key.Rsa?.Dispose();
            }
        }
        return _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var body = await new StreamReader(request.Body).ReadToEndAsync(context.RequestAborted);
        Requests.Enqueue(new RecordedRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "",
            request.Headers.Authorization.ToString(), request.ContentType, body));

        if (_failures.TryDequeue(out var failure))
        {
            if (failure.Status == 429)
            {
                context.Response.Headers.RetryAfter = "0";
            }
            await Error(context, failure.Status, failure.Code, $"injected {failure.Code}");
            return;
        }
        if (request.Headers.Authorization != "Bearer " + Token)
        {
            await Error(context, 401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
            return;
        }
        if (request.Query["api-version"] != ApiVersion)
        {
            await Error(context, 400, "BadParameter", "unsupported api-version");
            return;
        }
        var segments = (request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (request.Method == "POST" && segments is ["keys", _, "create"] && HoldCreates is { } hold)
        {
            await hold.WaitAsync(context.RequestAborted);
        }
        JsonObject? input = body.Length > 0 ? JsonNode.Parse(body) as JsonObject : null;
        JsonObject? reply = (request.Method, segments) switch
        {
            ("POST", ["keys", var name, "create"]) => Create(name, input!),
            ("DELETE", ["keys", var name]) => Delete(name),
            ("GET", ["keys", var name]) => Bundle(Find(name, null)),
            ("GET", ["keys", var name, var version]) => Bundle(Find(name, version)),
            ("POST", ["keys", var name, var version, var op]) => Operate(Find(name, version), op, input!),
            _ => null,
        };
        if (reply is null)
        {
            await Error(context, 404, "KeyNotFound", "A key with (name/id) was not found in this key vault.");
            return;
        }
        if (reply.ContainsKey("error"))
        {
            var error = reply["error"]!;
            await Error(context, (int)error["status"]!, (string)error["code"]!, (string)error["message"]!);
            return;
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(reply.ToJsonString(), context.RequestAborted);
    }

    private JsonObject Create(string name, JsonObject input)
    {
        if (_deleted.ContainsKey(name))
        {
            return Failure(409, "Conflict", $"Key {name} is currently in a deleted but recoverable state, and its name cannot be reused");
        }
        var version = Guid.NewGuid().ToString("N");
        var ops = (input["key_ops"] as JsonArray)?.Select(o => (string)o!).ToArray();
        StoredKey key = (string?)input["kty"] switch
        {
            "EC" => new StoredKey(version, Keypair.Generate(KeyVaultKey.CurveToKeyType((string?)input["crv"])), null, ops ?? ["sign", "verify"]),
            "RSA" => new StoredKey(version, null, RSA.Create((int?)input["key_size"] ?? 2048), ops ?? ["wrapKey", "unwrapKey"]),
            var other => throw new InvalidOperationException($"fake vault does not create {other}"),
        };
        _keys.AddOrUpdate(name, _ => [key], (_, list) => [.. list, key]);
        return Bundle((name, key))!;
    }

    /// <summary>Soft delete: the name moves to the deleted keys and the reply is a DeletedKeyBundle.</summary>
    private JsonObject? Delete(string name)
    {
        if (!_keys.TryRemove(name, out var versions))
        {
            return null;
        }
        _deleted[name] = versions;
        var bundle = Bundle((name, versions[^1]))!;
        bundle["recoveryId"] = new Uri(VaultUri, $"deletedkeys/{name}").ToString();
        bundle["deletedDate"] = 1763776100;
        bundle["scheduledPurgeDate"] = 1764380900;
        return bundle;
    }

    private (string Name, StoredKey Key)? Find(string name, string? version)
    {
        if (!_keys.TryGetValue(name, out var versions))
        {
            return null;
        }
        var key = version is null ? versions[^1] : versions.FirstOrDefault(k => k.Version == version);
        return key is null ? null : (name, key);
    }

    private JsonObject? Bundle((string Name, StoredKey Key)? found)
    {
        if (found is not var (name, key))
        {
            return null;
        }
        var jwk = new JsonObject { ["kid"] = new Uri(VaultUri, $"keys/{name}/{key.Version}").ToString() };
        if (key.Ec is { } ec)
        {
            jwk["kty"] = "EC";
            jwk["key_ops"] = new JsonArray(key.KeyOps.Select(o => (JsonNode?)o).ToArray());
            jwk["crv"] = KeyVaultKey.KeyTypeToCurve(ec.KeyType);
            jwk["x"] = Base64Url.EncodeToString(ec.PublicKey.X);
            jwk["y"] = Base64Url.EncodeToString(ec.PublicKey.Y);
        }
        else
        {
            var parameters = key.Rsa!.ExportParameters(includePrivateParameters: false);
            jwk["kty"] = "RSA";
            jwk["key_ops"] = new JsonArray(key.KeyOps.Select(o => (JsonNode?)o).ToArray());
            jwk["n"] = Base64Url.EncodeToString(parameters.Modulus);
            jwk["e"] = Base64Url.EncodeToString(parameters.Exponent);
        }
        return new JsonObject
        {
            ["key"] = jwk,
            ["attributes"] = new JsonObject { ["enabled"] = true, ["created"] = 1763776000, ["recoveryLevel"] = "Recoverable+Purgeable" },
        };
    }

    private JsonObject? Operate((string Name, StoredKey Key)? found, string operation, JsonObject input)
    {
        if (found is not var (name, key))
        {
            return null;
        }
        var value = Base64Url.DecodeFromChars((string?)input["value"]);
        var alg = (string?)input["alg"];
        byte[] result;
        try
        {
            result = (operation, alg, key) switch
            {
                ("sign", "ES256K" or "ES256", { Ec: { } ec }) => Sign(ec, value),
                ("wrapkey", "RSA-OAEP-256", { Rsa: { } rsa }) => rsa.Encrypt(value, RSAEncryptionPadding.OaepSHA256),
                ("unwrapkey", "RSA-OAEP-256", { Rsa: { } rsa }) => rsa.Decrypt(value, RSAEncryptionPadding.OaepSHA256),
                _ => throw new NotSupportedException(),
            };
        }
        catch (NotSupportedException)
        {
            return Failure(400, "BadParameter", $"Operation {operation} with {alg} is not allowed on this key");
        }
        catch (CryptographicException)
        {
            // What Key Vault answers when a ciphertext does not decrypt under the key.
            return Failure(400, "BadParameter", "Error occurred while decrypting the value");
        }
        return new JsonObject
        {
            ["kid"] = new Uri(VaultUri, $"keys/{name}/{key.Version}").ToString(),
            ["value"] = Base64Url.EncodeToString(result),
        };
    }

    private byte[] Sign(Keypair key, byte[] digest)
    {
        var signature = key.SignDigest(digest);
        var n = key.KeyType.CurveOrder();
        var s = new System.Numerics.BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: true);
        switch (Signatures)
        {
            case SignatureMode.HighS:
                WriteScalar(n - s, signature.AsSpan(32));
                break;
            case SignatureMode.WrongDigest:
                signature = key.SignDigest(SHA256.HashData(digest));
                break;
            case SignatureMode.ZeroS:
                signature.AsSpan(32).Clear();
                break;
            case SignatureMode.Der:
                using (var ecdsa = ECDsa.Create(new ECParameters
                {
                    Curve = key.KeyType == KeyType.P256 ? ECCurve.NamedCurves.nistP256 : ECCurve.CreateFromFriendlyName("secP256k1"),
                    D = key.ExportPrivateKey(),
                }))
                {
                    signature = ecdsa.SignHash(digest, DSASignatureFormat.Rfc3279DerSequence);
                }
                break;
        }
        return signature;
    }

    private static void WriteScalar(System.Numerics.BigInteger value, Span<byte> destination)
    {
        destination.Clear();
        var count = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(destination[^count..], out _, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>A reply that HandleAsync turns into an error answer.</summary>
    private static JsonObject Failure(int status, string code, string message) =>
        new() { ["error"] = new JsonObject { ["status"] = status, ["code"] = code, ["message"] = message } };

    private static Task Error(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };
        return context.Response.WriteAsync(body.ToJsonString());
    }

    private sealed record StoredKey(string Version, Keypair? Ec, RSA? Rsa, string[] KeyOps);
}

public enum SignatureMode
{
    /// <summary>A valid signature with s replaced by n - s.</summary>
    HighS,
    /// <summary>A valid signature, but over another digest.</summary>
    WrongDigest,
    ZeroS,
    /// <summary>ASN.1 DER instead of raw r||s.</summary>
    Der,
}

internal sealed record RecordedRequest(string Method, string Path, string Query, string Authorization, string? ContentType, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}
