using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Pds.Functions.Cli;

/// <summary><c>pds account list</c>: every account's handle, email, DID and status.</summary>
internal static class AccountListCommand
{
    public const string Name = "list";
    private const string Path = AccountCommand.Name + " " + Name;
    private const string ListRepos = "com.atproto.sync.listRepos";
    private const string GetAccountInfos = "com.atproto.admin.getAccountInfos";

    /// <summary>The most DIDs getAccountInfos takes at once.</summary>
    public const int InfoBatch = 100;

    public const int PageSize = 500;

    internal sealed record Row(string Handle, string Email, string Did, string Status);

    public static Command Create(CliContext context)
    {
        var command = new Command(Name,
            $"List the accounts: handle, email, DID and status ({ListRepos}, then {GetAccountInfos}). " +
            "A table on a terminal, aligned plain text otherwise");
        var options = new OperatorOptions().AddTo(command);
        command.SetAction((parse, ct) => OperatorException.GuardAsync(context, Path, async () =>
        {
            using var pds = XrpcClient.ForPds(options.Settings(parse));
            var rows = await FetchAsync(pds, ct).ConfigureAwait(false);
            if (options.WantsJson(parse))
            {
                await context.Out.WriteAsync(ToJson(rows)).ConfigureAwait(false);
            }
            else if (rows.Count == 0)
            {
                await context.Out.WriteLineAsync("no accounts").ConfigureAwait(false);
            }
            else if (context.OutIsTerminal)
            {
                WriteTable(context.Out, rows);
            }
            else
            {
                await context.Out.WriteAsync(ToPlainText(rows)).ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>All repositories, page by page, joined with their account views; sorted by handle.</summary>
    private static async Task<List<Row>> FetchAsync(XrpcClient pds, CancellationToken ct)
    {
        var repos = new List<(string Did, string Status)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var parameters = new List<KeyValuePair<string, string>> { new("limit", PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
            if (cursor is not null)
            {
                parameters.Add(new("cursor", cursor));
            }
            var page = await pds.QueryAsync(ListRepos, parameters, admin: false, ct).ConfigureAwait(false);
            var fresh = 0;
            foreach (var repo in page["repos"] as JsonArray ?? [])
            {
                if (repo is JsonObject r && Text(r, "did") is { } did && seen.Add(did))
                {
                    fresh++;
                    var active = r["active"] is JsonValue a && a.TryGetValue<bool>(out var yes) && yes;
                    repos.Add((did, Text(r, "status") ?? (active ? "active" : "inactive")));
                }
            }
            // A cursor that brings nothing new would loop forever.
            cursor = fresh > 0 ? Text(page, "cursor") : null;
        }
        while (cursor is not null);

        var views = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var batch in repos.Chunk(InfoBatch))
        {
            var answer = await pds.QueryAsync(GetAccountInfos, batch.Select(r => new KeyValuePair<string, string>("dids", r.Did)), admin: true, ct)
                .ConfigureAwait(false);
            foreach (var info in answer["infos"] as JsonArray ?? [])
            {
                if (info is JsonObject view && Text(view, "did") is { } did)
                {
                    views[did] = view;
                }
            }
        }
        return repos
            .Select(r => views.TryGetValue(r.Did, out var v)
                ? new Row(Text(v, "handle") ?? "-", Text(v, "email") ?? "-", r.Did, r.Status)
                : new Row("-", "-", r.Did, r.Status))
            .OrderBy(r => r.Handle, StringComparer.Ordinal)
            .ThenBy(r => r.Did, StringComparer.Ordinal)
            .ToList();
    }

    private static string? Text(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    private static string ToJson(List<Row> rows) => JsonOutput.ToText(w =>
    {
        w.WriteStartArray();
        foreach (var row in rows)
        {
            w.WriteStartObject();
            w.WriteString("handle", row.Handle);
            w.WriteString("email", row.Email);
            w.WriteString("did", row.Did);
            w.WriteString("status", row.Status);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    /// <summary>Columns padded to line up, separated by two spaces: easy to read and to cut or awk.</summary>
    internal static string ToPlainText(IReadOnlyList<Row> rows)
    {
        string[][] lines = [["HANDLE", "EMAIL", "DID", "STATUS"], .. rows.Select(r => new[] { r.Handle, r.Email, r.Did, r.Status })];
        var widths = Enumerable.Range(0, 4).Select(i => lines.Max(l => l[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(string.Join("  ", line.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd()).Append('\n');
        }
        return text.ToString();
    }

    private static void WriteTable(TextWriter output, List<Row> rows)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var heading in new[] { "Handle", "Email", "DID", "Status" })
        {
            table.AddColumn(new TableColumn(new Text(heading, new Style(decoration: Decoration.Bold))));
        }
        foreach (var row in rows)
        {
            var status = row.Status switch
            {
                "active" => new Style(Color.Green),
                "takendown" => new Style(Color.Red),
                _ => new Style(Color.Yellow),
            };
            table.AddRow(new Text(row.Handle), new Text(row.Email), new Text(row.Did), new Text(row.Status, status));
        }
        table.Caption(rows.Count == 1 ? "1 account" : $"{rows.Count} accounts");
        console.Write(table);
    }
}
