using Microsoft.Extensions.Configuration;
using Pds.Functions.Cli;

namespace Pds.Functions.Tests.OperatorCli;

public sealed class OperatorSettingsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pds-opsettings-" + Guid.NewGuid().ToString("N"));

    public OperatorSettingsTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(null, null, "http://localhost:2583/")]
    [InlineData(null, "3000", "http://localhost:3000/")]
    [InlineData("pds.example.com", null, "https://pds.example.com/")]
    [InlineData("pds.example.com", "3000", "https://pds.example.com/")]
    public void Server_DefaultsToThePublicUrlTheServerComputes(string? hostname, string? port, string expected)
    {
        var settings = Resolve(new() { ["PDS_HOSTNAME"] = hostname, ["PDS_PORT"] = port });

        Assert.Equal(expected, settings.Server.ToString());
    }

    [Fact]
    public void Server_Given_WinsAndGetsATrailingSlash()
    {
        var settings = OperatorSettings.Resolve(new Uri("http://127.0.0.1:9999/pds"), null, Config(new()), _dir);

        Assert.Equal("http://127.0.0.1:9999/pds/", settings.Server.ToString());
    }

    [Fact]
    public void AdminPassword_LocalRun_ComesFromTheSecretsFileInTheDataDirectory()
    {
        File.WriteAllText(Path.Combine(_dir, "secrets.json"), """{"adminPassword":"from-file","jwtSecret":"x"}""");

        Assert.Equal("from-file", Resolve(new() { ["PDS_DATA_DIRECTORY"] = _dir }).AdminPassword());
    }

    [Fact]
    public void AdminPassword_LocalRun_DefaultDataDirectoryIsPdsDataUnderTheWorkingDirectory()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "pds-data"));
        File.WriteAllText(Path.Combine(_dir, "pds-data", "secrets.json"), """{"adminPassword":"default-dir"}""");

        Assert.Equal("default-dir", Resolve(new()).AdminPassword());
    }

    [Fact]
    public void AdminPassword_EnvironmentBeatsFile_AndOptionBeatsBoth()
    {
        File.WriteAllText(Path.Combine(_dir, "secrets.json"), """{"adminPassword":"from-file"}""");
        var values = new Dictionary<string, string?> { ["PDS_DATA_DIRECTORY"] = _dir, ["PDS_ADMIN_PASSWORD"] = "from-env" };

        Assert.Equal("from-env", Resolve(values).AdminPassword());
        Assert.Equal("from-option", OperatorSettings.Resolve(null, "from-option", Config(values), _dir).AdminPassword());
    }

    [Fact]
    public void AdminPassword_Missing_SaysWhereToPutIt()
    {
        var e = Assert.Throws<OperatorException>(() => Resolve(new() { ["PDS_DATA_DIRECTORY"] = _dir }).AdminPassword());

        Assert.Contains("--admin-password", e.Message, StringComparison.Ordinal);
        Assert.Contains("PDS_ADMIN_PASSWORD", e.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_dir, "secrets.json"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AdminPassword_ProductionRun_IgnoresTheSecretsFile()
    {
        File.WriteAllText(Path.Combine(_dir, "secrets.json"), """{"adminPassword":"from-file"}""");

        var e = Assert.Throws<OperatorException>(() =>
            Resolve(new() { ["PDS_DATA_DIRECTORY"] = _dir, ["PDS_HOSTNAME"] = "pds.example.com" }).AdminPassword());

        Assert.DoesNotContain("secrets.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AdminPassword_UnreadableFile_IsAnOperatorError()
    {
        File.WriteAllText(Path.Combine(_dir, "secrets.json"), "not json");

        var e = Assert.Throws<OperatorException>(() => Resolve(new() { ["PDS_DATA_DIRECTORY"] = _dir }).AdminPassword());

        Assert.Contains("not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadSetting_IsAnOperatorError()
    {
        var e = Assert.Throws<OperatorException>(() => Resolve(new() { ["PDS_PORT"] = "seventy" }));

        Assert.Contains("PDS_PORT", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pds.example.com", "https://pds.example.com/")]
    [InlineData("pds.example.com:8443", "https://pds.example.com:8443/")]
    [InlineData("http://127.0.0.1:2583", "http://127.0.0.1:2583/")]
    [InlineData("https://pds.example.com/base", "https://pds.example.com/base/")]
    [InlineData("ftp://pds.example.com", null)]
    [InlineData("http://admin:pw@pds.example.com", null)]
    [InlineData("https://pds.example.com/?x=1", null)]
    [InlineData("", null)]
    public void ParseServer_AcceptsHttpUrlsAndBareHosts(string text, string? expected)
    {
        Assert.Equal(expected, OperatorSettings.ParseServer(text)?.ToString());
    }

    [Fact]
    public async Task UnreachableServer_ExitsOneNamingTheUrl()
    {
        var closed = AdminCli.ClosedUrl();

        var result = await CliRunner.RunAsync("account", "list", "--server", closed.ToString(), "--admin-password", "secret");

        CliRunner.AssertRejected(result);
        Assert.StartsWith($"pds account list: cannot reach the PDS at {closed}: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotAPds_ExitsOneWithTheHttpStatus()
    {
        await using var relay = await StubServer.RelayAsync();

        var result = await CliRunner.RunAsync("invite", "create", "--server", relay.Url.ToString(), "--admin-password", "secret");

        CliRunner.AssertRejected(result);
        Assert.Equal($"pds invite create: the PDS at {relay.Url} answered com.atproto.server.createInviteCode with HTTP 404 Not Found",
            result.Error.Trim());
    }

    private OperatorSettings Resolve(Dictionary<string, string?> values) => OperatorSettings.Resolve(null, null, Config(values), _dir);

    private static IConfiguration Config(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
