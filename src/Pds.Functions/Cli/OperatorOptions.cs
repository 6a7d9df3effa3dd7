using System.CommandLine;
using System.CommandLine.Parsing;

namespace Pds.Functions.Cli;

/// <summary>The options every command that talks to a running PDS shares: --server, --admin-password, --json.</summary>
internal sealed class OperatorOptions
{
    public Option<Uri?> Server { get; } = new("--server")
    {
        Description = "The running PDS. Default: its public URL from PDS_HOSTNAME and PDS_PORT " +
            "(http://localhost:2583 for a local run, https://<hostname> otherwise)",
        HelpName = "URL",
        CustomParser = ParseServer,
    };

    public Option<string?> AdminPassword { get; } = new("--admin-password")
    {
        Description = "The PDS admin password. Default: PDS_ADMIN_PASSWORD, else the one a local run keeps in " +
            "<PDS_DATA_DIRECTORY or ./pds-data>/secrets.json",
        HelpName = "PASSWORD",
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the result as JSON",
    };

    /// <summary>Adds the options to <paramref name="command"/>; --admin-password only if it makes admin calls.</summary>
    public OperatorOptions AddTo(Command command, bool admin = true)
    {
        command.Options.Add(Server);
        if (admin)
        {
            command.Options.Add(AdminPassword);
        }
        command.Options.Add(Json);
        return this;
    }

    public OperatorSettings Settings(ParseResult parse) =>
        OperatorSettings.FromEnvironment(parse.GetValue(Server), parse.GetValue(AdminPassword));

    public bool WantsJson(ParseResult parse) => parse.GetValue(Json);

    private static Uri? ParseServer(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        var url = OperatorSettings.ParseServer(text);
        if (url is null)
        {
            result.AddError($"--server '{text}' is not an http(s) URL or host name");
        }
        return url;
    }
}
