using System.Text.Json;
using Pds.Functions.Hosting;

namespace Pds.Functions.Cli;

/// <summary>
/// Where the running PDS is and how to prove being its operator. Anything not given on the
/// command line comes from the same settings the server reads (PDS_* environment variables and
/// ./appsettings.json), so on the server's own machine the defaults just work.
/// </summary>
internal sealed class OperatorSettings
{
    private readonly string? _adminPassword;
    private readonly Func<string?> _storedAdminPassword;
    private readonly string _whereToFindPassword;

    private OperatorSettings(Uri server, IReadOnlyList<string> crawlers, string? adminPassword, Func<string?> storedAdminPassword, string whereToFindPassword)
    {
        Server = server;
        Crawlers = crawlers;
        _adminPassword = adminPassword;
        _storedAdminPassword = storedAdminPassword;
        _whereToFindPassword = whereToFindPassword;
    }

    /// <summary>The PDS base URL, always ending in '/'.</summary>
    public Uri Server { get; }

    /// <summary>The relays the server itself notifies (PDS_CRAWLERS).</summary>
    public IReadOnlyList<string> Crawlers { get; }

    /// <summary>
    /// The admin password: given, else PDS_ADMIN_PASSWORD, else the one a local run generated and
    /// keeps in its secrets file. Looked up only when a command needs it, so commands that do not
    /// (and accounts created without invites) work without it.
    /// </summary>
    public string AdminPassword() =>
        _adminPassword ?? _storedAdminPassword()
        ?? throw new OperatorException($"no admin password: pass --admin-password or set PDS_ADMIN_PASSWORD{_whereToFindPassword}");

    /// <summary>Settings from the process environment and ./appsettings.json, like <c>pds serve</c>.</summary>
    public static OperatorSettings FromEnvironment(Uri? server, string? adminPassword)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        return Resolve(server, adminPassword, configuration, Directory.GetCurrentDirectory());
    }

    public static OperatorSettings Resolve(Uri? server, string? adminPassword, IConfiguration configuration, string workingDirectory)
    {
        PdsConfig config;
        try
        {
            config = PdsConfig.Load(configuration, workingDirectory);
        }
        catch (ConfigException e)
        {
            throw new OperatorException(e.Message);
        }
        var secrets = Path.Combine(config.DataDirectory, PdsSecrets.FileName);
        Func<string?> stored = config.IsLocal ? () => ReadStoredPassword(secrets) : () => null;
        var hint = config.IsLocal ? $" (a local run keeps it in {secrets})" : "";
        return new OperatorSettings(WithSlash(server ?? new Uri(config.PublicUrl)), config.Crawlers, adminPassword ?? config.AdminPassword, stored, hint);
    }

    /// <summary>
    /// A --server value: an http(s) URL, or a bare host[:port] meaning https. Null if it is neither.
    /// </summary>
    public static Uri? ParseServer(string text)
    {
        var candidate = text.Contains("://", StringComparison.Ordinal) ? text : "https://" + text;
        return Uri.TryCreate(candidate, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.Host.Length > 0
            && string.IsNullOrEmpty(url.Query) && string.IsNullOrEmpty(url.Fragment) && string.IsNullOrEmpty(url.UserInfo)
            ? WithSlash(url)
            : null;
    }

    private static Uri WithSlash(Uri url) => url.AbsolutePath.EndsWith('/') ? url : new Uri(url.GetLeftPart(UriPartial.Path) + "/");

    private static string? ReadStoredPassword(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("adminPassword", out var value) && value.ValueKind == JsonValueKind.String
                && value.GetString() is { Length: > 0 } password
                ? password
                : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OperatorException($"cannot read the admin password from {path}: {e.Message}");
        }
        catch (JsonException)
        {
            throw new OperatorException($"cannot read the admin password from {path}: not valid JSON");
        }
    }
}
