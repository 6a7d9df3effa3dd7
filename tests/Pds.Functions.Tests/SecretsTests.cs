using Pds.Functions.Hosting;

namespace Pds.Functions.Tests;

/// <summary>Which processes must be given secrets, and where secrets may be written.</summary>
public sealed class SecretsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pds-secrets-" + Guid.NewGuid().ToString("N"));

    private PdsConfig Production(PdsRoles roles, StorageBackend backend) => new()
    {
        Hostname = "pds.example.com",
        DataDirectory = _dir,
        BlobstoreDirectory = Path.Combine(_dir, "blobs"),
        PlcUrl = "https://plc.directory",
        ServiceHandleDomains = [".pds.example.com"],
        Roles = roles,
        StorageBackend = backend,
    };

    [Fact]
    public void ProductionApi_NoSecrets_RefusesAndNamesThem()
    {
        var e = Assert.Throws<ConfigException>(() => PdsSecrets.Resolve(Production(PdsRoles.Api | PdsRoles.Sequencer, StorageBackend.Azure)));

        Assert.Contains("PDS_ADMIN_PASSWORD", e.Message);
        Assert.Contains("PDS_JWT_SECRET", e.Message);
        Assert.Contains("PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX", e.Message);
        Assert.Contains("PDS_KEY_ENCRYPTION_KEY_HEX", e.Message);
    }

    [Fact]
    public void ProductionRelayAlone_NoSecrets_StartsWithoutWritingAnything()
    {
        PdsSecrets.Resolve(Production(PdsRoles.Relay, StorageBackend.Azure));

        Assert.False(Directory.Exists(_dir));
    }

    [Fact]
    public void ProductionAzureApi_AllGiven_NothingWrittenToTheInstanceDisk()
    {
        var config = Production(PdsRoles.Api | PdsRoles.Sequencer, StorageBackend.Azure) with
        {
            AdminPassword = "admin-password",
            JwtSecret = "jwt-secret-jwt-secret-jwt-secret",
            PlcRotationKeyHex = new string('1', 64),
            KeyEncryptionKeyHex = new string('2', 64),
        };

        var secrets = PdsSecrets.Resolve(config);

        Assert.Equal(Convert.FromHexString(new string('2', 64)), secrets.KeyEncryptionKey);
        Assert.False(Directory.Exists(_dir));
    }

    [Fact]
    public void KeyEncryptionKey_NotHex_Refused()
    {
        var config = Production(PdsRoles.All, StorageBackend.Sqlite) with
        {
            AdminPassword = "admin-password",
            JwtSecret = "jwt-secret-jwt-secret-jwt-secret",
            PlcRotationKeyHex = new string('1', 64),
            KeyEncryptionKeyHex = "xyz",
        };

        Assert.Throws<ConfigException>(() => PdsSecrets.Resolve(config));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
