using System.CommandLine;
using System.Text.Json;

namespace Pds.Functions.Cli;

/// <summary><c>pds inspect FILE</c>: one JSON object describing a repository CAR.</summary>
internal static class InspectCommand
{
    public const string Name = "inspect";

    public static Command Create(CliContext context)
    {
        var file = CarFileArgument.Create();
        var command = new Command(Name,
            "Print a repository CAR's commit and records as one JSON object " +
            "(did, rev, commit, data, version, blocks, records). Checks structure, not the signature.")
        {
            file,
        };
        command.SetAction((parse, ct) => BadInput.GuardAsync(context, Name, async () =>
        {
            var loaded = await RepoCar.LoadAsync(parse.GetRequiredValue(file), key: null, ct).ConfigureAwait(false);
            await context.Out.WriteAsync(JsonOutput.ToText(w => Write(w, loaded))).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void Write(Utf8JsonWriter w, RepoCar loaded)
    {
        var (commitCid, commit, records, _) = loaded.Repo;
        w.WriteStartObject();
        w.WriteString("did", commit.Did);
        w.WriteString("rev", commit.Rev);
        w.WriteString("commit", commitCid.ToString());
        w.WriteString("data", commit.Data.ToString());
        w.WriteNumber("version", commit.Version);
        // Sections, as in the file: a block written twice counts twice.
        w.WriteNumber("blocks", loaded.Car.SectionCount);
        w.WriteStartArray("records");
        // The tree walk yields keys in byte order, which for ASCII repo paths is ordinal order.
        foreach (var leaf in records)
        {
            w.WriteStartObject();
            w.WriteString("path", leaf.Key);
            w.WriteString("cid", leaf.Value.ToString());
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
