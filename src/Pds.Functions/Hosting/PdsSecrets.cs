using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pds.Functions.Hosting;

/// <summary>
/// The PDS's own secrets. A production run must be given them (and is told which are missing);
/// a localhost run generates them once and keeps them in the data directory (mode 0600).
/// The key-encryption key protects account signing keys at rest and always lives in a file.
/// </summary>
public sealed record PdsSecrets(string AdminPassword, byte[] JwtSecret, byte[] PlcRotationKey, byte[] KeyEncryptionKey)
{
    public const string FileName = "secrets.json";

    public static PdsSecrets Resolve(PdsConfig config)
    {
        // A cloud instance has no disk of its own that outlives it (a Functions package is even
        // read-only): every secret comes from settings and nothing is written.
        var useFile = config.IsLocal || config.StorageBackend == StorageBackend.Sqlite;
        var vaultSigns = config.StorageBackend == StorageBackend.Azure && config.KeyVaultUrl is not null && config.KeyVaultMode == KeyVaultMode.Sign;
        var path = Path.Combine(config.DataDirectory, FileName);
        if (useFile)
        {
            Directory.CreateDirectory(config.DataDirectory);
        }
        var stored = useFile && File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? [] : [];
        // A relay alone serves the firehose and forwards the rest: it never checks a token, signs
        // or seals anything, so it needs none of the secrets (and must not ask operators for them).
        if (!config.Roles.HasFlag(PdsRoles.Api) && !config.Roles.HasFlag(PdsRoles.Sequencer))
        {
            return Ephemeral();
        }
        if (!config.IsLocal)
        {
            var missing = new List<string>();
            if (config.AdminPassword is null) missing.Add("PDS_ADMIN_PASSWORD");
            if (config.JwtSecret is null) missing.Add("PDS_JWT_SECRET");
            // In Key Vault sign mode the rotation key is a vault key.
            if (config.PlcRotationKeyHex is null && !vaultSigns) missing.Add("PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX");
            if (!useFile && config.KeyVaultUrl is null && config.KeyEncryptionKeyHex is null) missing.Add("PDS_KEY_ENCRYPTION_KEY_HEX");
            if (missing.Count > 0)
            {
                throw new ConfigException($"PDS_HOSTNAME is {config.Hostname}, so these settings are required: {string.Join(", ", missing)}");
            }
        }
        var admin = config.AdminPassword ?? Stored(stored, "adminPassword") ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var jwt = config.JwtSecret ?? Stored(stored, "jwtSecret") ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var rotation = config.PlcRotationKeyHex ?? Stored(stored, "plcRotationKeyHex")
            ?? Convert.ToHexStringLower(Pds.Core.Crypto.Keypair.Generate(Pds.Core.Crypto.KeyType.Secp256k1).ExportPrivateKey());
        var kek = config.KeyEncryptionKeyHex ?? Stored(stored, "keyEncryptionKeyHex") ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        // A key given in settings stays there; only a generated one is kept in the file.
        var updated = config.KeyEncryptionKeyHex is null ? new JsonObject { ["keyEncryptionKeyHex"] = kek } : [];
        if (config.IsLocal)
        {
            updated["adminPassword"] = admin;
            updated["jwtSecret"] = jwt;
            updated["plcRotationKeyHex"] = rotation;
        }
        if (useFile)
        {
            Write(path, updated);
        }
        if (kek.Length != 64 || !kek.All(char.IsAsciiHexDigit))
        {
            throw new ConfigException("PDS_KEY_ENCRYPTION_KEY_HEX must be 64 hex characters (32 bytes)");
        }
        try
        {
            return new PdsSecrets(admin, System.Text.Encoding.UTF8.GetBytes(jwt), Convert.FromHexString(rotation), Convert.FromHexString(kek));
        }
        catch (FormatException)
        {
            throw new ConfigException("PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX must be 64 hex characters");
        }
    }

    /// <summary>Random values held in memory only, for a process that uses none of them.</summary>
    private static PdsSecrets Ephemeral() => new(
        Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), RandomNumberGenerator.GetBytes(32),
        Pds.Core.Crypto.Keypair.Generate(Pds.Core.Crypto.KeyType.Secp256k1).ExportPrivateKey(), RandomNumberGenerator.GetBytes(32));

    private static string? Stored(JsonObject o, string name) => o[name]?.GetValueKind() == JsonValueKind.String ? (string?)o[name] : null;

    private static void Write(string path, JsonObject content)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, content.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(tmp, path, overwrite: true);
    }
}
