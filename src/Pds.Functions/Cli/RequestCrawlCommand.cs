using System.CommandLine;
using System.Text.Json.Nodes;

namespace Pds.Functions.Cli;

/// <summary><c>pds request-crawl RELAY...</c>: asks relays to subscribe to this PDS's firehose.</summary>
internal static class RequestCrawlCommand
{
    public const string Name = "request-crawl";
    private const string Nsid = "com.atproto.sync.requestCrawl";

    private sealed record Answer(string Relay, string? Failure);

    public static Command Create(CliContext context)
    {
        var relays = new Argument<string[]>("RELAY")
        {
            Description = "Relay host names (bsky.network), called over https; or explicit http(s):// URLs. " +
                "Default: the PDS_CRAWLERS setting",
            Arity = ArgumentArity.ZeroOrMore,
        };
        relays.Validators.Add(result =>
        {
            foreach (var relay in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (OperatorSettings.ParseServer(relay) is null)
                {
                    result.AddError($"relay '{relay}' is not a host name or http(s) URL");
                }
            }
        });
        var hostname = new Option<string?>("--hostname")
        {
            Description = "The hostname relays should crawl. Default: the one the running PDS reports (from its did:web)",
            HelpName = "HOST",
        };
        var command = new Command(Name, $"Ask relays to crawl this PDS ({Nsid}) and report each one's answer")
        {
            relays,
            hostname,
        };
        var options = new OperatorOptions().AddTo(command, admin: false);
        command.SetAction((parse, ct) => OperatorException.GuardAsync(context, Name, async () =>
        {
            var settings = options.Settings(parse);
            IReadOnlyList<string> given = parse.GetValue(relays) is { Length: > 0 } listed ? listed : settings.Crawlers;
            if (given.Count == 0)
            {
                await context.Error.WriteLineAsync($"pds {Name}: name at least one relay (or set PDS_CRAWLERS)").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            var host = parse.GetValue(hostname) is { Length: > 0 } h ? h.Trim() : await AskHostnameAsync(settings, ct).ConfigureAwait(false);
            var answers = await Task.WhenAll(given.Select(relay => RequestAsync(relay, host, ct))).ConfigureAwait(false);
            if (options.WantsJson(parse))
            {
                await context.Out.WriteAsync(JsonOutput.ToText(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("hostname", host);
                    w.WriteStartArray("relays");
                    foreach (var answer in answers)
                    {
                        w.WriteStartObject();
                        w.WriteString("relay", answer.Relay);
                        w.WriteBoolean("ok", answer.Failure is null);
                        if (answer.Failure is not null)
                        {
                            w.WriteString("error", answer.Failure);
                        }
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                })).ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteLineAsync($"requested a crawl of {host}:").ConfigureAwait(false);
                foreach (var answer in answers)
                {
                    await context.Out.WriteLineAsync($"  {answer.Relay}: {answer.Failure ?? "ok"}").ConfigureAwait(false);
                }
            }
            var failed = answers.Count(a => a.Failure is not null);
            if (failed == 0)
            {
                return ExitCodes.Ok;
            }
            await context.Error.WriteLineAsync($"pds {Name}: {failed} of {answers.Length} relays refused or could not be reached").ConfigureAwait(false);
            return ExitCodes.Failed;
        }));
        return command;
    }

    /// <summary>The hostname the PDS itself reports: its service DID is did:web:&lt;hostname&gt;.</summary>
    private static async Task<string> AskHostnameAsync(OperatorSettings settings, CancellationToken ct)
    {
        using var pds = XrpcClient.ForPds(settings);
        const string describe = "com.atproto.server.describeServer";
        var did = XrpcClient.Required(await pds.QueryAsync(describe, [], admin: false, ct).ConfigureAwait(false), describe, "did");
        return did.StartsWith("did:web:", StringComparison.Ordinal)
            ? Uri.UnescapeDataString(did["did:web:".Length..])
            : throw new OperatorException($"the PDS at {settings.Server} reports {did}, not a did:web with its hostname; pass --hostname");
    }

    private static async Task<Answer> RequestAsync(string relay, string host, CancellationToken ct)
    {
        if (OperatorSettings.ParseServer(relay) is not { } url)
        {
            return new Answer(relay, "not a host name or http(s) URL");
        }
        using var client = new XrpcClient(url, "relay");
        try
        {
            await client.ProcedureAsync(Nsid, new JsonObject { ["hostname"] = host }, admin: false, ct).ConfigureAwait(false);
            return new Answer(relay, null);
        }
        catch (OperatorException e)
        {
            return new Answer(relay, e.Message);
        }
    }
}
