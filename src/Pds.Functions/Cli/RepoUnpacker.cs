using System.Text.Json;
using Pds.Core.Cbor;
using Pds.Core.DataModel;
using Pds.Core.Repo;

namespace Pds.Functions.Cli;

/// <summary>Writes a verified repository as data-model JSON files under one directory.</summary>
internal sealed class RepoUnpacker(RepoCar repo, string directory)
{
    public const string CommitFileName = "_commit.json";

    private readonly string _root = Path.GetFullPath(directory);

    public int RecordCount => repo.Repo.Records.Count;

    /// <summary>Writes <c>_commit.json</c>, then each record; <paramref name="recordWritten"/> runs after each one.</summary>
    public async Task WriteAsync(Action recordWritten, CancellationToken ct)
    {
        Directory.CreateDirectory(_root);
        await JsonOutput.WriteFileAsync(Path.Combine(_root, CommitFileName), WriteCommit, ct).ConfigureAwait(false);
        var created = new HashSet<string>(StringComparer.Ordinal);
        foreach (var leaf in repo.Repo.Records)
        {
            var path = RecordPath(_root, leaf.Key);
            var folder = Path.GetDirectoryName(path)!;
            if (created.Add(folder))
            {
                Directory.CreateDirectory(folder);
            }
            var record = DagCbor.Decode(repo.RecordBlock(leaf.Value).Span);
            await JsonOutput.WriteFileAsync(path, w => DataModelJson.Write(w, record), ct).ConfigureAwait(false);
            recordWritten();
        }
    }

    /// <summary>
    /// <c>root/collection/rkey.json</c>. The verifier has already required a valid NSID and record
    /// key (no '/', no '.' or '..'); the prefix check is a second line against escaping the root.
    /// </summary>
    public static string RecordPath(string root, string repoPath)
    {
        var fullRoot = Path.GetFullPath(root);
        var slash = repoPath.IndexOf('/', StringComparison.Ordinal);
        var path = slash <= 0 || slash == repoPath.Length - 1
            ? null
            : Path.GetFullPath(Path.Combine(fullRoot, repoPath[..slash], repoPath[(slash + 1)..] + ".json"));
        var inside = Path.TrimEndingDirectorySeparator(fullRoot) + Path.DirectorySeparatorChar;
        if (path is null || !path.StartsWith(inside, StringComparison.Ordinal) ||
            Path.GetDirectoryName(Path.GetDirectoryName(path)) != Path.TrimEndingDirectorySeparator(fullRoot))
        {
            throw new RepoFormatException($"record path '{repoPath}' does not map to a file two levels under {fullRoot}");
        }
        return path;
    }

    /// <summary>The commit's fields in data-model JSON, plus its CID.</summary>
    private void WriteCommit(Utf8JsonWriter w)
    {
        var (cid, commit, _, _) = repo.Repo;
        (string Name, DataValue Value)[] fields =
        [
            ("did", DataValue.Of(commit.Did)),
            ("version", DataValue.Of(commit.Version)),
            ("data", DataValue.Of(commit.Data)),
            ("rev", DataValue.Of(commit.Rev)),
            ("prev", commit.Prev is null ? DataValue.Null : DataValue.Of(commit.Prev)),
            ("sig", DataValue.Of(commit.Signature)),
        ];
        w.WriteStartObject();
        w.WriteString("cid", cid.ToString());
        foreach (var (name, value) in fields)
        {
            w.WritePropertyName(name);
            DataModelJson.Write(w, value);
        }
        w.WriteEndObject();
    }
}
